"""The tables that refer to an account (or to what it owns) and are NOT in a candidat's
export, each with the reason. The one place for it: ``tests/data_export/test_coverage.py``
fails for a table that is neither exported (``resolvers.data_export.parts``) nor here."""

from __future__ import annotations

EXCLUDED: dict[str, str] = {
    "offers": "Les offres d'emploi appartiennent aux employeurs qui les publient ; les vôtres "
    "(classeur, candidatures, alertes, propositions) y renvoient par leur identifiant.",
    "companies": "La fiche entreprise d'un compte employeur : pas une donnée de candidat.",
    "workshops": "Les ateliers d'une agence, créés par ses conseillers ; vos inscriptions sont "
    "exportées (agenda.json, workshop_registrations).",
    "announcements": "Les actualités publiées par les conseillers pour tous : rien de personnel.",
    "login_failures": "Tentatives de connexion échouées, gardées peu de temps sous "
    "l'identifiant ou l'e-mail essayé pour freiner les essais : rattachées à aucun compte "
    "(vos connexions réussies sont dans compte.json, sessions).",
    "alert_keys": "Clés d'index calculées à partir des critères d'une alerte, déjà exportés "
    "(abonnements.json, alerts).",
}
