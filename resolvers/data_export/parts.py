"""What an export holds, domain by domain: one JSON document each (``donnees/<file>``), its
tables, which of their rows are the account's, and the files that go with them.

To export a new table, add a ``TablePart`` to its domain (or a new ``Domain``); to leave it
out, give the reason in ``resolvers.data_export.excluded``.
"""

from __future__ import annotations

from resolvers.data_export import renderers
from resolvers.data_export.declarations import (
    Addressed,
    Domain,
    Owned,
    RenderedFile,
    StoredFile,
    TablePart,
    Via,
)

ME = Owned("account_id")

DOMAINS: tuple[Domain, ...] = (
    Domain(
        "compte.json",
        "Votre compte et vos connexions",
        (
            TablePart("accounts", Owned("id"), "Votre compte : identifiant, type, dates."),
            TablePart(
                "sessions",
                ME,
                "Chaque connexion (session) : quand elle a commencé, sa dernière activité, "
                "son expiration ou sa fermeture, le navigateur utilisé.",
            ),
            TablePart(
                "password_reset_tokens", ME, "Chaque demande de réinitialisation du mot de passe."
            ),
            TablePart(
                "data_exports",
                ME,
                "Vos demandes d'export de données, dont celle-ci.",
                omit={"last_error": "détail technique d'une erreur du serveur"},
            ),
        ),
    ),
    Domain(
        "dossiers.json",
        "Vos dossiers (état civil, coordonnées, situation)",
        (
            TablePart("dossiers", ME, "Un dossier : identité, adresse, téléphones, e-mail."),
            TablePart(
                "email_confirmations",
                Via("dossier_id", "dossiers"),
                "Chaque envoi d'un lien de confirmation d'adresse e-mail.",
            ),
        ),
    ),
    Domain(
        "cv.json",
        "Vos CV",
        (
            TablePart(
                "cvs",
                ME,
                "Un CV : métier, résumé, compétences, visibilité ; le fichier PDF déposé "
                "est dans fichiers/cv/.",
                files=StoredFile("fichiers/cv", "file_key", "file_name"),
            ),
            TablePart("cv_experiences", Via("cv_id", "cvs"), "Une expérience d'un CV."),
            TablePart("cv_educations", Via("cv_id", "cvs"), "Une formation d'un CV."),
        ),
    ),
    Domain(
        "abonnements.json",
        "Vos alertes (abonnements aux offres)",
        (
            TablePart("alerts", ME, "Une alerte : ses critères et sa fréquence."),
            TablePart(
                "alert_matches",
                Via("alert_id", "alerts"),
                "Une offre trouvée par une alerte, et quand elle vous a été envoyée.",
            ),
        ),
    ),
    Domain(
        "classeur.json",
        "Votre classeur : offres et recherches enregistrées",
        (
            TablePart("saved_offers", ME, "Une offre enregistrée dans le classeur."),
            TablePart("saved_searches", ME, "Une recherche enregistrée."),
        ),
    ),
    Domain(
        "candidatures.json",
        "Vos candidatures",
        (
            TablePart("applications", ME, "Une candidature à une offre."),
            TablePart(
                "application_changes",
                Via("application_id", "applications"),
                "Chaque changement de statut d'une candidature.",
            ),
        ),
    ),
    Domain(
        "propositions.json",
        "Les propositions des employeurs",
        (TablePart("proposals", Owned("candidate_id"), "Une proposition d'un employeur."),),
    ),
    Domain(
        "messages.json",
        "Vos conversations et messages",
        (
            TablePart(
                "conversations",
                Owned("candidat_id"),
                "Une conversation avec un conseiller, un employeur ou le site.",
            ),
            TablePart(
                "messages",
                Via("conversation_id", "conversations"),
                "Un message d'une de vos conversations (les vôtres et ceux qui vous sont "
                "adressés).",
            ),
            TablePart(
                "message_attachments",
                Via("message_id", "messages"),
                "Une pièce jointe d'un message ; le fichier est dans fichiers/pieces-jointes/.",
                files=StoredFile("fichiers/pieces-jointes", "storage_key", "name"),
            ),
            TablePart("conversation_reads", ME, "Jusqu'où vous avez lu chaque conversation."),
        ),
    ),
    Domain(
        "tableau_de_bord.json",
        "Votre tableau de bord : l'historique des événements",
        (TablePart("events", ME, "Un événement de votre compte (dans l'ordre)."),),
    ),
    Domain(
        "inscription.json",
        "Votre inscription comme demandeur d'emploi",
        (
            TablePart("registrations", ME, "Votre inscription : état, catégorie, agence."),
            TablePart(
                "registration_changes",
                ME,
                "Chaque changement de l'inscription (cessation, réinscription, radiation).",
            ),
        ),
    ),
    Domain(
        "actualisations.json",
        "Vos actualisations mensuelles et justificatifs",
        (
            TablePart(
                "actualisations",
                ME,
                "Une déclaration mensuelle (actualisation) et ses réponses ; son récépissé "
                "PDF est dans fichiers/recepisses/.",
                files=RenderedFile("fichiers/recepisses", renderers.receipt),
            ),
            TablePart(
                "actualisation_versions",
                Via("actualisation_id", "actualisations"),
                "Chaque version d'une déclaration (la première et ses corrections).",
            ),
            TablePart(
                "supporting_documents",
                ME,
                "Un justificatif envoyé ; le fichier est dans fichiers/justificatifs/.",
                files=StoredFile("fichiers/justificatifs", "storage_key", "name"),
            ),
        ),
    ),
    Domain(
        "indemnisation.json",
        "Vos droits, paiements et coordonnées bancaires",
        (
            TablePart("indemnisation_rights", ME, "Vos droits à l'allocation."),
            TablePart("indemnisation_payments", ME, "Un paiement (calculé ou effectué)."),
            TablePart(
                "bank_accounts",
                ME,
                "Des coordonnées bancaires (IBAN complet : ce sont vos données).",
            ),
        ),
    ),
    Domain(
        "courriers.json",
        "Vos courriers",
        (
            TablePart(
                "letters",
                ME,
                "Un courrier ; son PDF est dans fichiers/courriers/.",
                files=RenderedFile("fichiers/courriers", renderers.letter),
            ),
        ),
    ),
    Domain(
        "agenda.json",
        "Votre agenda : rendez-vous, ateliers, calendrier",
        (
            TablePart("appointments", ME, "Un rendez-vous avec un conseiller."),
            TablePart("workshop_registrations", ME, "Une inscription à un atelier."),
            TablePart("calendar_feeds", ME, "Un lien d'abonnement à votre agenda (calendrier)."),
        ),
    ),
    Domain(
        "attestations.json",
        "Vos attestations",
        (
            TablePart(
                "attestations",
                ME,
                "Une attestation délivrée ; son PDF est dans fichiers/attestations/.",
                files=RenderedFile("fichiers/attestations", renderers.attestation),
            ),
        ),
    ),
    Domain(
        "changements_de_situation.json",
        "Vos changements de situation déclarés",
        (
            TablePart(
                "situation_changes",
                ME,
                "Un changement de situation déclaré (reprise d'emploi, arrêt maladie, absence, "
                "formation, déménagement) et ses effets.",
            ),
        ),
    ),
    Domain(
        "historique_et_acces.json",
        "L'historique de vos données et qui les a consultées",
        (
            TablePart(
                "personal_data_changes",
                ME,
                "Une modification de vos données personnelles : qui, quand, ancienne et "
                "nouvelle valeur.",
            ),
            TablePart(
                "access_log",
                ME,
                "Une consultation de vos données par un employeur ou un conseiller.",
            ),
            TablePart(
                "erasure_requests",
                ME,
                "Une demande de suppression de votre compte et son devenir.",
            ),
        ),
    ),
    Domain(
        "mails.json",
        "Les e-mails qui vous ont été envoyés",
        (
            TablePart(
                "outbox_mails",
                Addressed("to_addr", skip_templates=("data_export_ready",)),
                "Un e-mail envoyé à l'une de vos adresses ; le message complet est dans "
                "mails/ (format .eml). Les e-mails portant un lien de téléchargement d'export "
                "n'y sont pas : le lien est un secret.",
                omit={"last_error": "détail technique d'une erreur d'envoi"},
                files=RenderedFile("mails", renderers.mail),
            ),
        ),
    ),
)


def parts_by_table() -> dict[str, TablePart]:
    return {part.table: part for domain in DOMAINS for part in domain.tables}
