"""« Mes actions »: what the candidat should do next, from their dossiers (create one, confirm
its e-mail, complete it) and from their unemployment file (declare this month, send a
requested document, confirm an appointment).

The dossiers' part comes in the dashboard's one statement too: one aggregated string column
(``aggregate_strings``: ``string_agg`` on PostgreSQL, ``group_concat`` on SQLite) of each
dossier's id, contact flags and name, for the first ``DOSSIERS_SHOWN`` dossiers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import BindParameter, ColumnElement, String, case, cast, func, select

from models.dossiers import Dossier
from models.identity import AccountKind
from models.registration import RegistrationState
from resolvers.actualisation.documents import LABELS, DocumentCode
from resolvers.actualisation.windows import day_label, period_label
from resolvers.agenda.manage import when_label
from resolvers.core.pdf import paris_date
from resolvers.dashboard.file_parts import FileSummary

DOSSIERS_SHOWN = 50
FIELD, RECORD = "\x1f", "\x1e"  # control characters: refused in dossier names (clean_text)


@dataclass(frozen=True, slots=True)
class Action:
    """One of the seed's "Mes actions"; ``subject`` is the object it concerns, as the event
    log names it (``appointment``, ``letter``, ``document``) with its id."""

    code: str
    message: str
    dossier_id: int | None = None
    subject: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class DossierContact:
    """What the dossier actions need of a dossier."""

    id: int
    name: str
    has_email: bool
    email_confirmed: bool
    has_phone: bool


def dossier_contacts_column(account: BindParameter[int]) -> ColumnElement[str | None]:
    """One string of the account's first dossiers: ``id␟flags␟name`` joined by ``␞``."""
    flag = {
        "e": Dossier.email.is_not(None),
        "c": Dossier.email_confirmed_at.is_not(None),
        "p": Dossier.phone_mobile.is_not(None) | Dossier.phone_fixe.is_not(None),
    }
    record = cast(Dossier.id, String) + FIELD
    for letter, condition in flag.items():
        record = record + case((condition, letter), else_="-")
    record = record + FIELD + Dossier.name
    first = (
        select(record.label("record"))
        .where(Dossier.account_id == account)
        .order_by(Dossier.id)
        .limit(DOSSIERS_SHOWN)
        .subquery("dossier_contacts")
    )
    joined = select(func.aggregate_strings(first.c.record, RECORD)).scalar_subquery()
    return joined.label("dossier_contacts")


def read_contacts(value: str | None) -> list[DossierContact]:
    """The dossiers of ``dossier_contacts_column``, oldest first."""
    found = []
    for record in (value or "").split(RECORD):
        if not record:
            continue
        id_, flags, name = record.split(FIELD, 2)
        found.append(DossierContact(int(id_), name, "e" in flags, "c" in flags, "p" in flags))
    return sorted(found, key=lambda d: d.id)


def contact_of(d: Dossier) -> DossierContact:
    return DossierContact(
        d.id,
        d.name,
        bool(d.email),
        d.email_confirmed_at is not None,
        bool(d.phone_mobile or d.phone_fixe),
    )


def actions_for(
    kind: str, dossiers: Sequence[DossierContact], file: FileSummary | None = None
) -> list[Action]:
    """What the candidat should do next; an empty list means nothing to do."""
    if kind != AccountKind.CANDIDAT:
        return []
    actions = file_actions(file) if file is not None else []
    if not dossiers:
        return [*actions, Action("CREATE_DOSSIER", "Créez votre dossier de recherche d'emploi.")]
    for d in dossiers:
        if d.has_email and not d.email_confirmed:
            actions.append(
                Action(
                    "CONFIRM_EMAIL",
                    f"Confirmez votre adresse électronique ({d.name}) : "
                    "ouvrez le lien reçu par courriel.",
                    d.id,
                )
            )
        if not d.has_email:
            actions.append(
                Action(
                    "ADD_EMAIL",
                    f"Complétez votre dossier {d.name} : sans adresse électronique, "
                    "les abonnements aux offres sont indisponibles.",
                    d.id,
                )
            )
        if not d.has_phone:
            actions.append(
                Action(
                    "ADD_PHONE",
                    f"Complétez votre dossier {d.name} : sans téléphone, "
                    "les candidatures en ligne sont indisponibles.",
                    d.id,
                )
            )
    return actions


def file_actions(file: FileSummary) -> list[Action]:
    """What is due in the unemployment file: renew a registration that ended, declare, send
    a document, confirm an appointment."""
    actions: list[Action] = []
    registration = file.registration
    if registration is not None and registration.state != RegistrationState.INSCRIT:
        actions.append(
            Action(
                "RENEW_REGISTRATION",
                "Votre inscription comme demandeur d'emploi a pris fin : réinscrivez-vous "
                "pour vous actualiser de nouveau.",
            )
        )
    state = file.window
    if state is not None and state.is_open and not state.declared:
        window = state.window
        last = day_label(window.closes_at - timedelta(seconds=1))
        actions.append(
            Action(
                "DECLARE",
                f"Actualisez-vous pour {period_label(window.period)} : jusqu'au {last}.",
            )
        )
    if file.document_request is not None:
        letter_id, asked_at = file.document_request
        actions.append(
            Action(
                "SEND_DOCUMENT",
                "Envoyez les pièces justificatives demandées par le courrier du "
                f"{paris_date(asked_at):%d/%m/%Y}.",
                subject=("letter", letter_id),
            )
        )
    if file.refused_doc is not None:
        doc_id, code = file.refused_doc
        label = LABELS.get(DocumentCode(code), code) if code in set(DocumentCode) else code
        message = f"Renvoyez votre justificatif « {label} » : il a été refusé."
        if file.refused_docs > 1:
            message = f"Renvoyez vos {file.refused_docs} justificatifs refusés, dont « {label} »."
        actions.append(Action("SEND_DOCUMENT", message, subject=("document", doc_id)))
    first = file.first_to_confirm
    if first is not None:
        message = f"Confirmez votre rendez-vous {when_label(first.starts_at)} : {first.theme}."
        if file.to_confirm > 1:
            message = (
                f"Confirmez vos {file.to_confirm} rendez-vous ; le premier "
                f"{when_label(first.starts_at)} : {first.theme}."
            )
        actions.append(Action("CONFIRM_APPOINTMENT", message, subject=("appointment", first.id)))
    return actions
