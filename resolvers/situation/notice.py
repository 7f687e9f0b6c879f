"""The French sentences of a change of situation: what was declared and what it does, for
the confirmation mail and the API (``SituationChange.summary``)."""

from __future__ import annotations

from models.situation import ContractKind, SituationChange, SituationKind
from resolvers.situation.form import CONTRACT_LABELS, fr
from resolvers.situation.rules import ABSENCE_DAYS_PER_YEAR


def _what(row: SituationChange) -> str:
    d = row.details
    kind = SituationKind(row.kind)
    until = f" au {fr(row.end_date)}" if row.end_date else ""
    if kind == SituationKind.WORK_RESUMED:
        contract = CONTRACT_LABELS[ContractKind(d["contractType"])]
        return (
            f"Reprise d'emploi chez {d['employer']} le {fr(row.start_date)}{until} "
            f"({contract}, {d['weeklyHours']} h par semaine)."
        )
    if kind == SituationKind.SICK_LEAVE:
        return f"Arrêt maladie du {fr(row.start_date)}{until}."
    if kind == SituationKind.ABSENCE:
        return f"Absence du {fr(row.start_date)}{until}."
    if kind == SituationKind.TRAINING:
        return f"Formation chez {d['organisme']} du {fr(row.start_date)}{until}."
    town = f"{d['postalCode']} {d['communeName']}"
    return f"Déménagement le {fr(row.start_date)} : {d['adresse']}, {town}."


def _effect(row: SituationChange) -> str:
    e = row.effects
    kind = SituationKind(row.kind)
    if e.get("registrationState") == "CESSATION_INSCRIPTION":
        return (
            "Vous n'êtes plus disponible pour rechercher un emploi : votre inscription cesse "
            f"à compter du {fr(row.start_date)}, et ces jours ne sont plus indemnisés."
        )
    if kind == SituationKind.SICK_LEAVE:
        return "Les jours d'arrêt maladie ne sont pas indemnisés par l'allocation chômage."
    if kind == SituationKind.ABSENCE:
        days = e.get("absenceDaysInYear", 0)
        if e.get("available", True):
            return (
                f"Absences déclarées cette année : {days} jour(s) sur les "
                f"{ABSENCE_DAYS_PER_YEAR} autorisés."
            )
        return (
            f"Absences déclarées cette année : {days} jours. Au-delà de "
            f"{ABSENCE_DAYS_PER_YEAR} jours, vous n'êtes plus considéré(e) comme disponible : "
            "les jours en plus ne sont pas indemnisés."
        )
    if kind == SituationKind.MOVE:
        if e.get("agencyAfter") != e.get("agencyBefore") and e.get("agencyName"):
            return (
                f"Vos coordonnées sont mises à jour ; votre agence est désormais {e['agencyName']}."
            )
        return "Vos coordonnées sont mises à jour."
    if e.get("categoryAfter") != e.get("categoryBefore"):
        return f"Votre inscription passe en catégorie {e['categoryAfter']} : {e['categoryLabel']}."
    return "Votre catégorie d'inscription ne change pas."


def summary(row: SituationChange) -> str:
    """What was declared, then what it does."""
    return f"{_what(row)} {_effect(row)}"
