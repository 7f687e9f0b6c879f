"""Télécandidatures: apply to an offer with a CV, then the employer moves the application on.

State machine (anything else is INVALID_TRANSITION):

- the employer: SENT -> VIEWED -> IN_PROGRESS -> ACCEPTED | REFUSED;
- the candidat: SENT | VIEWED | IN_PROGRESS -> WITHDRAWN.

Applying needs a phone number on the dossier (PHONE_REQUIRED), a CV of that dossier, and a
published offer posted here; once per offer (DUPLICATE, also under a race: a unique
constraint). Every change is a history row, and a dashboard event for the candidat and for
the employer, in the same transaction. Applying discloses the candidat (name and contact
of the dossier) to that employer, for that application, until it is withdrawn.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.applications import Actor, Application, ApplicationChange, ApplicationStatus
from models.base import utcnow
from models.cvs import Cv
from models.dashboard import EventKind
from models.identity import Account, AccountKind
from models.offers import Offer, OfferStatus
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.dashboard.events import record_event
from resolvers.dossiers.manage import owned_dossier
from resolvers.dossiers.services import apply_online
from resolvers.offers.checks import clean_multiline

SUBJECT = "application"
MAX_ID = 2**63 - 1
MESSAGE_MAX = 5000

S = ApplicationStatus
EMPLOYER_MOVES: dict[S, frozenset[S]] = {
    S.SENT: frozenset({S.VIEWED}),
    S.VIEWED: frozenset({S.IN_PROGRESS}),
    S.IN_PROGRESS: frozenset({S.ACCEPTED, S.REFUSED}),
}
WITHDRAWABLE = frozenset({S.SENT, S.VIEWED, S.IN_PROGRESS})
STATUS_LABELS = {
    S.SENT: "envoyée",
    S.VIEWED: "consultée par l'employeur",
    S.IN_PROGRESS: "en cours d'étude",
    S.ACCEPTED: "acceptée",
    S.REFUSED: "refusée",
    S.WITHDRAWN: "retirée par le candidat",
}


def require_kind(account: Account, kind: AccountKind, message: str) -> None:
    if account.kind != kind:
        raise DomainError.single(None, ErrorCode.WRONG_ACCOUNT_KIND, message)


def optional_message(errors: ErrorCollector, field: str, value: str | None) -> str | None:
    """A multi-line message that may be left out (empty gives None)."""
    if value is None or not value.strip():
        return None
    return clean_multiline(errors, field, value, label="Message", max_len=MESSAGE_MAX)


def not_found(field: str | None = "id") -> DomainError:
    return DomainError.single(field, ErrorCode.NOT_FOUND, "Cette candidature est introuvable.")


async def submit_application(
    session: AsyncSession,
    account: Account,
    dossier_id: int,
    cv_id: int,
    offer_id: int,
    message: str,
) -> Application:
    """Apply to a published offer with a CV of the dossier and a message."""
    require_kind(account, AccountKind.CANDIDAT, "Seuls les candidats candidatent en ligne.")
    errors = ErrorCollector()
    text = clean_multiline(errors, "message", message, label="Message", max_len=MESSAGE_MAX)
    dossier = await owned_dossier(session, account.id, min(dossier_id, MAX_ID), "dossierId")
    capability = apply_online(dossier.phone_mobile, dossier.phone_fixe)
    if not capability.allowed:
        assert capability.reason is not None and capability.message is not None
        errors.add("dossierId", capability.reason, capability.message)
    cv = await session.get(Cv, min(cv_id, MAX_ID)) if cv_id > 0 else None
    if cv is None or cv.account_id != account.id or cv.dossier_id != dossier.id:
        errors.add("cvId", ErrorCode.NOT_FOUND, "Ce CV est introuvable dans ce dossier.")
    offer = await _open_offer(session, errors, offer_id)
    errors.raise_if_any()
    assert cv is not None and offer is not None and offer.account_id is not None
    assert text is not None
    already = await session.scalar(
        select(Application.id).where(
            Application.account_id == account.id, Application.offer_id == offer.id
        )
    )
    if already is not None:
        raise _duplicate()
    application = Application(
        account_id=account.id,
        dossier_id=dossier.id,
        cv_id=cv.id,
        offer_id=offer.id,
        employer_id=offer.account_id,
        message=text,
        status=S.SENT.value,
    )
    try:
        async with session.begin_nested():  # a concurrent twin fails alone, not the session
            session.add(application)
            await session.flush()
    except IntegrityError as exc:
        raise _duplicate() from exc
    await _record(session, application, offer, Actor.CANDIDAT, None)
    return application


def _duplicate() -> DomainError:
    return DomainError.single(
        "offerId", ErrorCode.DUPLICATE, "Vous avez déjà candidaté à cette offre."
    )


async def _open_offer(session: AsyncSession, errors: ErrorCollector, offer_id: int) -> Offer | None:
    offer = await session.get(Offer, min(offer_id, MAX_ID)) if offer_id > 0 else None
    if offer is None or offer.status == OfferStatus.DRAFT:
        errors.add("offerId", ErrorCode.NOT_FOUND, "Cette offre est introuvable.")
        return None
    expired = offer.expires_at is not None and offer.expires_at <= utcnow()
    if offer.status != OfferStatus.PUBLISHED or expired:
        errors.add("offerId", ErrorCode.OFFER_CLOSED, "Cette offre n'est plus disponible.")
        return None
    if offer.account_id is None:
        errors.add(
            "offerId",
            ErrorCode.INVALID,
            "Cette offre se postule auprès de son diffuseur (voir son contact).",
        )
        return None
    return offer


async def change_status(
    session: AsyncSession,
    account: Account,
    application_id: int,
    status: ApplicationStatus,
    message: str | None,
) -> Application:
    """The employer moves an application to its offer one step on."""
    require_kind(account, AccountKind.EMPLOYEUR, "Seuls les employeurs traitent les candidatures.")
    errors = ErrorCollector()
    note = optional_message(errors, "message", message)
    errors.raise_if_any()
    application = await _locked(session, application_id, Application.employer_id == account.id)
    if status not in EMPLOYER_MOVES.get(S(application.status), frozenset()):
        raise _invalid(application, status)
    return await _move(session, application, status, Actor.EMPLOYER, note)


async def withdraw(
    session: AsyncSession, account: Account, application_id: int, message: str | None
) -> Application:
    """The candidat withdraws an application that is not decided yet."""
    require_kind(account, AccountKind.CANDIDAT, "Seuls les candidats retirent une candidature.")
    errors = ErrorCollector()
    note = optional_message(errors, "message", message)
    errors.raise_if_any()
    application = await _locked(session, application_id, Application.account_id == account.id)
    if S(application.status) not in WITHDRAWABLE:
        raise _invalid(application, S.WITHDRAWN)
    return await _move(session, application, S.WITHDRAWN, Actor.CANDIDAT, note)


async def _locked(
    session: AsyncSession, application_id: int, owner: ColumnElement[bool]
) -> Application:
    found = await session.scalar(
        select(Application)
        .where(Application.id == min(application_id, MAX_ID), owner)
        .with_for_update()
    )
    if found is None:
        raise not_found()
    return found


def _invalid(application: Application, status: ApplicationStatus) -> DomainError:
    now = STATUS_LABELS[S(application.status)]
    return DomainError.single(
        "status",
        ErrorCode.INVALID_TRANSITION,
        f"Une candidature {now} ne peut pas devenir « {STATUS_LABELS[status]} ».",
    )


async def _move(
    session: AsyncSession,
    application: Application,
    status: ApplicationStatus,
    by: Actor,
    note: str | None,
) -> Application:
    application.status = status.value
    application.updated_at = utcnow()
    offer = await session.get(Offer, application.offer_id)
    assert offer is not None  # the foreign key cascades
    await _record(session, application, offer, by, note)
    return application


async def _record(
    session: AsyncSession, application: Application, offer: Offer, by: Actor, note: str | None
) -> None:
    """The history row, and the same event for the candidat then the employer (always in
    that order: record_event locks each account's log, and a fixed order cannot deadlock)."""
    status = S(application.status)
    session.add(
        ApplicationChange(
            application_id=application.id, status=status.value, by=by.value, message=note
        )
    )
    kind = {
        S.SENT: EventKind.APPLICATION_SUBMITTED,
        S.WITHDRAWN: EventKind.APPLICATION_WITHDRAWN,
    }.get(status, EventKind.APPLICATION_STATUS_CHANGED)
    payload = {
        "name": offer.intitule,
        "number": offer.number,
        "status": status.value,
        "statusLabel": STATUS_LABELS[status],
    }
    for account_id in (application.account_id, application.employer_id):
        await record_event(session, account_id, kind, payload, SUBJECT, application.id)
