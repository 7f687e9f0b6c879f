"""Workshops and job events of an agency (« Événements »): advisers create them with a
number of places; candidats of the agency register (a place is taken by one conditional
UPDATE, so two candidats never get the last place twice) and unregister until it starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, false, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.agenda import Workshop, WorkshopRegistration
from models.dossiers import Agency
from models.identity import Account, AccountKind
from resolvers.agenda.form import DURATION_MAX, DURATION_MIN, HORIZON
from resolvers.core.candidats import registered_dossier, require_adviser
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.validation import clean_text
from resolvers.offers.checks import clean_multiline

PLACES_MAX = 500


async def viewer_agency(session: AsyncSession, account: Account) -> int | None:
    """The agency whose workshops the account sees: an adviser's, a candidat's dossier's."""
    if account.kind == AccountKind.CONSEILLER:
        return account.agency_id
    if account.kind == AccountKind.CANDIDAT:
        dossier = await registered_dossier(session, account.id)
        return dossier.agency_id if dossier is not None else None
    return None


def not_found() -> DomainError:
    return DomainError.single("id", ErrorCode.NOT_FOUND, "Cet événement est introuvable.")


async def create_workshop(
    session: AsyncSession,
    runtime: Runtime,
    adviser: Account,
    *,
    title: str | None,
    description: str | None,
    starts_at: datetime | None,
    duration_minutes: int | None,
    address: str | None,
    places: int | None,
) -> Workshop:
    """An adviser creates a workshop at their agency (its address when none is given)."""
    agency_id = require_adviser(adviser)
    now = runtime.clock.now()
    errors = ErrorCollector()
    title = clean_text(errors, "title", title, label="Titre", max_len=200, required=True)
    text = None
    if description is not None and description.strip():
        text = clean_multiline(
            errors, "description", description, label="Description", max_len=4000
        )
    if starts_at is None or starts_at.tzinfo is None or not now < starts_at <= now + HORIZON:
        errors.add("startsAt", ErrorCode.OUT_OF_RANGE, "Une date à venir, dans l'année.")
    if duration_minutes is None or not DURATION_MIN <= duration_minutes <= 8 * DURATION_MAX:
        errors.add("durationMinutes", ErrorCode.OUT_OF_RANGE, "De 15 minutes à 32 heures.")
    if places is None or not 1 <= places <= PLACES_MAX:
        errors.add("places", ErrorCode.OUT_OF_RANGE, f"De 1 à {PLACES_MAX} places.")
    where = clean_text(errors, "address", address, label="Adresse", max_len=300)
    if where is None and not errors.has("address"):
        agency = await session.get(Agency, agency_id)
        where = f"{agency.name}, {agency.address} {agency.postal_code}" if agency else None
    errors.raise_if_any()
    assert title and starts_at and duration_minutes and places and where
    row = Workshop(
        agency_id=agency_id,
        created_by_id=adviser.id,
        title=title,
        description=text,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        address=where,
        places=places,
        seats_taken=0,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def register(
    session: AsyncSession, runtime: Runtime, account: Account, workshop_id: int
) -> Workshop:
    """The candidat takes a place (WORKSHOP_FULL when none is left; DUPLICATE when already
    registered)."""
    agency_id = await viewer_agency(session, account)
    if account.kind != AccountKind.CANDIDAT or agency_id is None:
        raise not_found()
    now = runtime.clock.now()
    workshop = await session.scalar(
        select(Workshop).where(Workshop.id == workshop_id, Workshop.agency_id == agency_id)
    )
    if workshop is None:
        raise not_found()
    if workshop.starts_at <= now:
        raise DomainError.single("id", ErrorCode.DEADLINE_PASSED, "Cet événement a commencé.")
    already = await session.get(WorkshopRegistration, (workshop.id, account.id))
    if already is not None:
        raise DomainError.single("id", ErrorCode.DUPLICATE, "Vous êtes déjà inscrit(e).")
    taken = await session.execute(
        update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.seats_taken < Workshop.places)
        .values(seats_taken=Workshop.seats_taken + 1)
        .returning(Workshop.seats_taken)
    )
    if taken.first() is None:
        raise DomainError.single("id", ErrorCode.WORKSHOP_FULL, "Il n'y a plus de place.")
    session.add(
        WorkshopRegistration(workshop_id=workshop.id, account_id=account.id, registered_at=now)
    )
    await session.flush()
    await session.refresh(workshop)
    return workshop


async def unregister(
    session: AsyncSession, runtime: Runtime, account: Account, workshop_id: int
) -> Workshop:
    """The candidat gives their place back, until the event starts."""
    result = await session.execute(
        delete(WorkshopRegistration)
        .where(
            WorkshopRegistration.workshop_id == workshop_id,
            WorkshopRegistration.account_id == account.id,
        )
        .returning(WorkshopRegistration.workshop_id)
    )
    workshop = await session.get(Workshop, workshop_id)
    if result.first() is None or workshop is None:
        raise not_found()
    if workshop.starts_at <= runtime.clock.now():
        raise DomainError.single("id", ErrorCode.DEADLINE_PASSED, "Cet événement a commencé.")
    await session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(seats_taken=Workshop.seats_taken - 1)
    )
    await session.flush()
    await session.refresh(workshop)
    return workshop


def in_agenda(account: Account) -> ColumnElement[bool]:
    """SQL: the workshops that are in the account's agenda (a candidat's registrations)."""
    if account.kind != AccountKind.CANDIDAT:
        return false()
    return Workshop.id.in_(
        select(WorkshopRegistration.workshop_id).where(
            WorkshopRegistration.account_id == account.id
        )
    )


async def workshops_page(
    session: AsyncSession,
    account: Account,
    after: tuple[datetime, int] | None,
    limit: int,
    now: datetime,
) -> tuple[Sequence[Workshop], bool]:
    """The upcoming workshops of the account's agency, earliest first."""
    agency_id = await viewer_agency(session, account)
    if agency_id is None:
        return [], False
    stmt = select(Workshop).where(Workshop.agency_id == agency_id, Workshop.starts_at > now)
    if after is not None:
        at, last = after
        stmt = stmt.where(
            (Workshop.starts_at > at) | ((Workshop.starts_at == at) & (Workshop.id > last))
        )
    rows = (
        await session.scalars(stmt.order_by(Workshop.starts_at, Workshop.id).limit(limit + 1))
    ).all()
    return rows[:limit], len(rows) > limit


async def registered_ids(
    session: AsyncSession, account_id: int, workshop_ids: Sequence[int]
) -> set[int]:
    """Which of these workshops the account is registered to (one query for a page)."""
    if not workshop_ids:
        return set()
    rows = await session.scalars(
        select(WorkshopRegistration.workshop_id).where(
            WorkshopRegistration.account_id == account_id,
            WorkshopRegistration.workshop_id.in_(workshop_ids),
        )
    )
    return set(rows.all())


async def workshops_by_ids(
    session: AsyncSession, account: Account, ids: Sequence[int]
) -> dict[int, Workshop]:
    agency_id = await viewer_agency(session, account)
    if agency_id is None or not ids:
        return {}
    rows = await session.scalars(
        select(Workshop).where(Workshop.id.in_(ids), Workshop.agency_id == agency_id)
    )
    return {row.id: row for row in rows.all()}
