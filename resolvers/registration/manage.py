"""Registrations: created at sign-up, ceased by the scheduler when a declaration window is
missed, renewed by the candidat (réinscription). Every change of state is kept as history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.dashboard import EventKind
from models.dossiers import Agency, Dossier
from models.identity import Account, AccountKind
from models.registration import Registration, RegistrationChange, RegistrationState
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.dashboard.events import record_event

PARIS = ZoneInfo("Europe/Paris")
CATEGORIES: dict[int, str] = {
    1: "Sans emploi, immédiatement disponible, à la recherche d'un CDI à temps plein",
    2: "Sans emploi, immédiatement disponible, à la recherche d'un CDI à temps partiel",
    3: "Sans emploi, immédiatement disponible, à la recherche d'un CDD, temporaire ou saisonnier",
    4: "Sans emploi, non immédiatement disponible",
    5: "Pourvu d'un emploi, à la recherche d'un autre emploi",
}
HISTORY_MAX = 100

MAX_HISTORY = 100
"""``Registration.history`` returns at most this many changes, whatever ``first``."""


def local_day(at: datetime) -> date:
    """The day in Paris at an instant."""
    return at.astimezone(PARIS).date()


async def agency_for_postal_code(session: AsyncSession, postal_code: str | None) -> int | None:
    """The agency of the home commune: one of the postal code, else one of its département."""
    if not postal_code:
        return None
    found = await session.scalar(
        select(Agency.id).where(Agency.postal_code == postal_code).order_by(Agency.id).limit(1)
    )
    if found is None:
        found = await session.scalar(
            select(Agency.id)
            .where(Agency.postal_code.startswith(postal_code[:2]))
            .order_by(Agency.id)
            .limit(1)
        )
    return found


async def create_registration(
    session: AsyncSession, account: Account, email: str | None, now: datetime
) -> Registration:
    """Register a new candidat (category 1) at the agency of their home commune, with the
    first adviser of that agency as personal adviser."""
    agency_id = await agency_for_postal_code(session, account.postal_code)
    adviser_id = None
    if agency_id is not None:
        adviser_id = await session.scalar(
            select(Account.id)
            .where(Account.kind == AccountKind.CONSEILLER, Account.agency_id == agency_id)
            .order_by(Account.id)
            .limit(1)
        )
    row = Registration(
        account_id=account.id,
        state=RegistrationState.INSCRIT,
        registered_on=local_day(now),
        category=1,
        agency_id=agency_id,
        adviser_id=adviser_id,
        email=email,
        updated_at=now,
    )
    session.add(row)
    _history(session, account.id, RegistrationState.INSCRIT, local_day(now), "INSCRIPTION", now)
    await session.flush()
    return row


def _history(
    session: AsyncSession,
    account_id: int,
    state: RegistrationState,
    on: date,
    reason: str,
    now: datetime,
) -> None:
    session.add(
        RegistrationChange(
            account_id=account_id, state=state, effective_on=on, reason=reason, at=now
        )
    )


async def registration_of(session: AsyncSession, account_id: int) -> Registration | None:
    """The account's registration, if it has one."""
    return await session.scalar(select(Registration).where(Registration.account_id == account_id))


async def history(
    session: AsyncSession, account_id: int, limit: int
) -> Sequence[RegistrationChange]:
    """The latest changes of state, newest first."""
    stmt = (
        select(RegistrationChange)
        .where(RegistrationChange.account_id == account_id)
        .order_by(RegistrationChange.id.desc())
        .limit(min(limit, HISTORY_MAX))
    )
    return (await session.scalars(stmt)).all()


async def cease(
    session: AsyncSession, registration: Registration, on: date, now: datetime, period: str
) -> None:
    """Move an INSCRIT registration to CESSATION_INSCRIPTION (a missed declaration)."""
    registration.state = RegistrationState.CESSATION_INSCRIPTION
    registration.updated_at = now
    _history(
        session,
        registration.account_id,
        RegistrationState.CESSATION_INSCRIPTION,
        on,
        "NON_ACTUALISATION",
        now,
    )
    await record_event(
        session,
        registration.account_id,
        EventKind.REGISTRATION_CEASED,
        {"name": period},
        "registration",
        registration.id,
    )


async def renew(
    session: AsyncSession, account: Account, category: int | None, now: datetime
) -> Registration:
    """Réinscription: bring a ceased or struck-off registration back to INSCRIT, from today."""
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les candidats s'inscrivent comme demandeurs d'emploi."
        )
    if category is not None and category not in CATEGORIES:
        raise DomainError.single(
            "category", ErrorCode.OUT_OF_RANGE, "La catégorie est comprise entre 1 et 5."
        )
    row = await session.scalar(
        select(Registration).where(Registration.account_id == account.id).with_for_update()
    )
    if row is None:
        row = await create_registration(session, account, None, now)
    elif row.state == RegistrationState.INSCRIT:
        raise DomainError.single(
            None,
            ErrorCode.INVALID_TRANSITION,
            "Vous êtes déjà inscrit(e) comme demandeur d'emploi.",
        )
    else:
        row.state = RegistrationState.INSCRIT
        row.registered_on = local_day(now)
        row.updated_at = now
        _history(
            session, account.id, RegistrationState.INSCRIT, row.registered_on, "REINSCRIPTION", now
        )
    if category is not None:
        row.category = category
    await record_event(
        session,
        account.id,
        EventKind.REGISTRATION_RENEWED,
        {"name": row.registered_on.strftime("%d/%m/%Y")},
        "registration",
        row.id,
    )
    await session.flush()
    return row


async def adviser_name(session: AsyncSession, adviser_id: int | None) -> str | None:
    """The personal adviser's display name."""
    if adviser_id is None:
        return None
    return await session.scalar(select(Account.display_name).where(Account.id == adviser_id))


async def contact_emails(
    session: AsyncSession, registrations: Sequence[Registration]
) -> dict[int, str]:
    """Where each candidat's mails go, by account id: the address given at sign-up, else the
    confirmed address of their most recently updated dossier (one query for them all)."""
    found: dict[int, str] = {r.account_id: r.email for r in registrations if r.email}
    missing = [r.account_id for r in registrations if not r.email]
    if missing:
        rows = await session.execute(
            select(Dossier.account_id, Dossier.email)
            .where(
                Dossier.account_id.in_(missing),
                Dossier.email.is_not(None),
                Dossier.email_confirmed_at.is_not(None),
            )
            .order_by(Dossier.account_id, Dossier.updated_at)
        )
        for account_id, email in rows.all():
            if email:
                found[account_id] = email  # the latest one wins
    return found


async def strike_off(
    session: AsyncSession, adviser: Account, identifiant: str | None, now: datetime
) -> Registration:
    """An adviser of the candidat's agency strikes the registration off (RADIE); anyone else,
    or a candidat of another agency, gets NOT_FOUND."""
    if adviser.kind != AccountKind.CONSEILLER:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les conseillers radient une inscription."
        )
    wanted = (identifiant or "").strip().upper()
    row = None
    if wanted and adviser.agency_id is not None:
        row = await session.scalar(
            select(Registration)
            .join(Account, Account.id == Registration.account_id)
            .where(Account.identifiant == wanted, Registration.agency_id == adviser.agency_id)
            .with_for_update()
        )
    if row is None:
        raise DomainError.single(
            "identifiant",
            ErrorCode.NOT_FOUND,
            "Aucun demandeur d'emploi de votre agence n'a cet identifiant.",
        )
    if row.state == RegistrationState.RADIE:
        raise DomainError.single(
            None, ErrorCode.INVALID_TRANSITION, "Cette inscription est déjà radiée."
        )
    row.state = RegistrationState.RADIE
    row.updated_at = now
    _history(session, row.account_id, RegistrationState.RADIE, local_day(now), "RADIATION", now)
    await record_event(
        session,
        row.account_id,
        EventKind.REGISTRATION_STRUCK_OFF,
        {"name": local_day(now).strftime("%d/%m/%Y")},
        "registration",
        row.id,
    )
    await session.flush()
    return row
