"""The erasure registry: what becomes of each table's rows when a candidat is erased.

One entry per table that refers to an account, directly or through an object an account
owns (``tests/erasure/test_registry.py`` walks the SQLAlchemy metadata and fails on a table
without one), plus the tables that name a person without a foreign key (the outbox, the
sign-in throttle). ``ERASURE_TABLES`` is also the order of the work: children first.

- ``owners``: foreign-key paths from the table to ``accounts.id`` that make a row the
  person's (``("conversation_id", "candidat_id")``: the row's conversation is theirs);
- ``matches``: columns compared (lower case) with the person's e-mail addresses and
  identifiant, for tables without a foreign key;
- ``others``: columns referring to accounts that are never the erased candidat (the
  adviser who wrote a letter, the employer of an offer): the rows are handled by ``owners``;
- ``values``: what an ANONYMIZE or KEEP_MINIMAL entry writes over the row;
- ``keep_when``: an ANONYMIZE entry keeps (anonymized) only the rows matching it and deletes
  the others;
- ``files``: columns holding storage keys, whose files are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, case, literal_column

ERASED_LABEL = "candidat supprimé"
REDACTED_ADDRESS = "supprime@invalid"
NOW = "<now>"  # in ``values``: the time of the erasure
# An outbox row stays "sent" once sent; a mail not sent yet never will be.
# Names are unique per account: a person who applied from two dossiers keeps two rows.
KEPT_DOSSIER_NAME: ColumnElement[str] = literal_column("'supprimé ' || CAST(id AS VARCHAR(20))")
NOT_SENT_IS_DEAD = case((literal_column("status") == "sent", "sent"), else_="dead")


class Action(StrEnum):
    DELETE = "delete"
    ANONYMIZE = "anonymize"  # the row stays for someone else, with nothing of the person
    KEEP_MINIMAL = "keep-minimal"  # kept by law, with no direct identifier
    NOT_THEIRS = "not-theirs"  # refers to accounts, never to a candidat's own data


@dataclass(frozen=True, slots=True)
class TableRule:
    table: str
    action: Action
    why: str
    owners: tuple[tuple[str, ...], ...] = ()
    matches: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    values: dict[str, object] = field(default_factory=dict)
    keep_when: str | None = None
    files: tuple[str, ...] = ()
    legal: str = ""


D, A, K, N = Action.DELETE, Action.ANONYMIZE, Action.KEEP_MINIMAL, Action.NOT_THEIRS
ACC = ("account_id",)

ERASURE_TABLES: tuple[TableRule, ...] = (
    TableRule("sessions", D, "Sessions: revoked first (sockets closed 4403).", (ACC,)),
    TableRule("password_reset_tokens", D, "Password reset links.", (ACC,)),
    TableRule("login_failures", D, "Failed sign-ins, keyed by what was typed.", matches=("key",)),
    TableRule("calendar_feeds", D, "Private calendar feeds.", (ACC,)),
    TableRule(
        "data_exports",
        D,
        "Data export requests and their archives.",
        (ACC,),
        files=("archive_key",),
    ),
    TableRule("situation_changes", D, "Changes of situation declared.", (ACC,)),
    TableRule(
        "personal_data_changes",
        D,
        "History of rectifications (old and new names, addresses, e-mails).",
        (ACC,),
        others=("actor_id",),
    ),
    TableRule("access_log", D, "Who viewed the person's data.", (ACC,), others=("viewer_id",)),
    TableRule("workshop_registrations", D, "Workshop registrations.", (ACC,)),
    TableRule("appointments", D, "Appointments with an adviser.", (ACC,), others=("adviser_id",)),
    TableRule(
        "letters", D, "Letters (PDFs rendered from facts).", (ACC,), others=("issued_by_id",)
    ),
    TableRule("attestations", D, "Attestations (their codes no longer verify).", (ACC,)),
    TableRule(
        "supporting_documents",
        D,
        "Supporting documents and their files.",
        (ACC,),
        others=("decided_by",),
        files=("storage_key",),
    ),
    TableRule("actualisation_versions", D, "Declarations' history.", (("actualisation_id", *ACC),)),
    TableRule(
        "actualisations",
        D,
        "Monthly declarations: what justifies a payment is kept on the payment itself.",
        (ACC,),
    ),
    TableRule("bank_accounts", D, "IBAN, BIC and holder.", (ACC,)),
    TableRule("indemnisation_rights", D, "Current rights.", (ACC,), others=("opened_by_id",)),
    TableRule(
        "indemnisation_payments",
        K,
        "Payments made: amounts, dates and computation, attached to the anonymized account; "
        "the masked bank account is removed. Purged by the retention job after the legal period.",
        (ACC,),
        values={"bank_account_masked": None},
        legal="Code de commerce, art. L. 123-22 (pièces comptables, 10 ans) ; Code du travail, "
        "art. L. 5422-5 (répétition de l'indu : 3 ans, 10 ans en cas de fraude).",
    ),
    TableRule("registration_changes", D, "Registration history.", (ACC,)),
    TableRule("registrations", D, "Registration.", (ACC,), others=("adviser_id",)),
    TableRule("alert_keys", D, "Alerts' percolator keys.", (("alert_id", *ACC),)),
    TableRule("alert_matches", D, "Alerts' matched offers.", (("alert_id", *ACC),)),
    TableRule("alerts", D, "Alerts.", (ACC,)),
    TableRule("saved_offers", D, "Classeur.", (ACC,)),
    TableRule("saved_searches", D, "Saved searches.", (ACC,)),
    TableRule(
        "message_attachments",
        D,
        "Attachments of the person's conversations, and their files.",
        (("message_id", "conversation_id", "candidat_id"),),
        files=("storage_key",),
    ),
    TableRule(
        "conversation_reads",
        D,
        "Read markers: the person's, and everyone's in the person's conversations.",
        (ACC, ("conversation_id", "candidat_id")),
    ),
    TableRule(
        "messages",
        D,
        "Messages of the person's conversations (with the agency, employers, the site).",
        (("conversation_id", "candidat_id"), ("author_id",)),
    ),
    TableRule(
        "conversations",
        D,
        "The person's conversations.",
        (("candidat_id",),),
        others=("employer_id",),
    ),
    TableRule(
        "proposals",
        D,
        "Employers' proposals to the person.",
        (("candidate_id",),),
        others=("employer_id",),
    ),
    TableRule(
        "application_changes",
        A,
        "The employer keeps the history of a received application, without its messages.",
        (("application_id", *ACC),),
        values={"message": None},
    ),
    TableRule(
        "applications",
        A,
        "The employer keeps the application, shown as « candidat supprimé »: no message, no CV.",
        (ACC,),
        others=("employer_id",),
        values={"message": ERASED_LABEL, "cv_id": None, "anonymized_at": NOW},
    ),
    TableRule("cv_experiences", D, "CV experiences.", (("cv_id", *ACC),)),
    TableRule("cv_educations", D, "CV education.", (("cv_id", *ACC),)),
    TableRule("cvs", D, "CVs and their files.", (ACC,), files=("file_key",)),
    TableRule("email_confirmations", D, "E-mail confirmation links.", (("dossier_id", *ACC),)),
    TableRule(
        "dossiers",
        A,
        "A dossier an application was sent from stays as « candidat supprimé » (the "
        "application needs it; the civilité stays, as the employer's list shows it); every "
        "other dossier is deleted.",
        (ACC,),
        keep_when="id IN (SELECT dossier_id FROM applications)",
        values={
            "name": KEPT_DOSSIER_NAME,
            "nom": ERASED_LABEL,
            "prenom": "",
            "pays": "FR",
            "adresse": "",
            "complement1": None,
            "complement2": None,
            "postal_code": "",
            "commune_insee": None,
            "commune_name": "",
            "acheminement": None,
            "phone_mobile": None,
            "phone_fixe": None,
            "email": None,
            "email_confirmed_at": None,
            "registered": False,
            "registered_identifiant": None,
            "agency_id": None,
            "birth_date": date(1900, 1, 1),
            "situation": "",
            "qualification": 0,
        },
    ),
    TableRule("events", D, "Dashboard events.", (ACC,)),
    TableRule(
        "erasure_requests",
        K,
        "The proof that the erasure was made: dates only.",
        (ACC,),
        legal="RGPD, art. 5.2 (responsabilité : démontrer le respect du règlement).",
    ),
    TableRule(
        "outbox_mails",
        A,
        "Mails to the person's addresses: recipient, subject and bodies redacted.",
        matches=("to_addr",),
        values={
            "to_addr": REDACTED_ADDRESS,
            "subject": "[supprimé]",
            "text_body": "",
            "html_body": "",
            "headers": {},
            "last_error": None,
            "status": NOT_SENT_IS_DEAD,
        },
    ),
    TableRule(
        "accounts",
        K,
        "The account row stays, with no identifier, as the anchor of the kept payments "
        "and of the applications employers received.",
        values={
            "identifiant": None,
            "email": None,
            "display_name": None,
            "password_hash": "!",
            "postal_code": None,
            "agency_id": None,
            "secret_question": None,
            "secret_answer_hash": None,
            "secret_failures": 0,
            "secret_locked_until": None,
            "last_visit_at": None,
            "password_changed_at": None,
        },
        legal="Code de commerce, art. L. 123-22 ; Code du travail, art. L. 5422-5 (paiements).",
    ),
    # Tables that refer to accounts that are never a candidat (accountDelete is open to
    # candidats only): employers' companies and offers, advisers' workshops and news.
    TableRule("companies", N, "An employer's company.", others=("account_id",)),
    TableRule("offers", N, "An employer's offer.", others=("account_id",)),
    TableRule("workshops", N, "An agency's workshop.", others=("created_by_id",)),
    TableRule("announcements", N, "An adviser's news.", others=("author_id",)),
)

RULES_BY_TABLE: dict[str, list[TableRule]] = {}
for _rule in ERASURE_TABLES:
    RULES_BY_TABLE.setdefault(_rule.table, []).append(_rule)
