"""The candidat's rights: read by the candidat, opened or changed by an adviser of the
agency, or loaded by the import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from models.identity import Account
from models.indemnisation import AllowanceKind, Rights, RightsState, Source
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.core.owners import owned_by
from resolvers.indemnisation.access import agency_candidat
from resolvers.indemnisation.rules import rights_end

MAX_RATE = Decimal("500")
MAX_DAYS = 1095  # 36 months, the longest ARE duration
MAX_SALARY_CENTS = 100_000_00


@dataclass(frozen=True, slots=True)
class RightsForm:
    """What an adviser sets when opening (or changing) rights."""

    identifiant: str
    state: RightsState
    kind: AllowanceKind
    daily_net_rate: str
    start_date: date | None
    days_granted: int
    reference_salary: str | None  # None: unknown, no cap


async def rights_of(session: AsyncSession, account_id: int, *, lock: bool = False) -> Rights | None:
    """The candidat's rights, if any were ever opened or imported; ``lock`` holds the row
    until commit (PostgreSQL), so that two computations of one candidat take turns."""
    stmt = select(Rights).where(owned_by(Rights, account_id))
    return await session.scalar(stmt.with_for_update() if lock else stmt)


async def serialise_rights(session: AsyncSession, account_id: int) -> None:
    """Make the writers of one candidat's rights take turns until commit, even before the
    row exists (PostgreSQL; SQLite write transactions are already serial)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"indemnisation_rights:{account_id}"},
        )


def expected_end(rights: Rights) -> date | None:
    """The expected last day of rights (null without a start date or days)."""
    return expected_end_of(rights.start_date, rights.days_granted, rights.days_deferred)


def expected_end_of(start: date | None, days_granted: int, days_deferred: int) -> date | None:
    """``expected_end`` from the row's values (the compiled reads pass them alone)."""
    if start is None or days_granted <= 0:
        return None
    return rights_end(start, days_granted, days_deferred)


def parse_euros(errors: ErrorCollector, field: str, raw: str, maximum: Decimal) -> Decimal | None:
    """A French or dotted amount in euros (« 38,45 »), 0 to ``maximum``, at most 2 decimals."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.add(field, ErrorCode.INVALID_FORMAT, "Indiquez un montant en euros, ex. 38,45.")
        return None
    if not value.is_finite() or value < 0 or value > maximum:
        errors.add(field, ErrorCode.OUT_OF_RANGE, f"Le montant doit être entre 0 et {maximum} €.")
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.add(field, ErrorCode.INVALID_FORMAT, "Au plus deux décimales (centimes).")
        return None
    return value


async def open_rights(
    session: AsyncSession, adviser: Account, form: RightsForm, now: datetime
) -> Rights:
    """``indemnisationRightsSet``: the adviser opens (or changes) the candidat's rights.

    Days already paid stay paid: changing the days granted keeps ``days_left`` at
    granted minus what was already charged."""
    candidat = await agency_candidat(session, adviser, form.identifiant)
    errors = ErrorCollector()
    rate = parse_euros(errors, "dailyNetRate", form.daily_net_rate, MAX_RATE)
    salary = None
    if form.reference_salary is not None and form.reference_salary.strip():
        salary = parse_euros(
            errors, "referenceSalary", form.reference_salary, Decimal(MAX_SALARY_CENTS) / 100
        )
    if not 0 <= form.days_granted <= MAX_DAYS:
        errors.add("daysGranted", ErrorCode.OUT_OF_RANGE, f"Entre 0 et {MAX_DAYS} jours.")
    if form.state == RightsState.OUVERT and form.start_date is None:
        errors.add("startDate", ErrorCode.REQUIRED, "Indiquez la date d'ouverture des droits.")
    errors.raise_if_any()
    assert rate is not None
    await serialise_rights(session, candidat.id)
    rights = await rights_of(session, candidat.id)
    if rights is None:
        rights = Rights(account_id=candidat.id, days_deferred=0, days_left=0, days_granted=0)
        session.add(rights)
    used = rights.days_granted - rights.days_left
    rights.agency_id = adviser.agency_id
    rights.state = form.state.value
    rights.kind = form.kind.value
    rights.daily_net_rate = rate
    rights.reference_salary_cents = int(salary * 100) if salary is not None else None
    rights.start_date = form.start_date
    rights.days_granted = form.days_granted
    rights.days_left = max(0, form.days_granted - used)
    rights.source = Source.ADVISER.value
    rights.opened_by_id = adviser.id
    rights.updated_at = now
    await session.flush()
    return rights
