"""Reading the agenda: one page in time order (keyset on start, then id), and rows by id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models.agenda import Appointment, Workshop
from models.identity import Account
from resolvers.agenda.manage import visible
from resolvers.agenda.workshops import in_agenda


async def agenda_page(
    session: AsyncSession,
    account: Account,
    after: tuple[datetime, int] | None,
    since: datetime | None,
    limit: int,
) -> tuple[Sequence[Appointment], bool]:
    """The appointments ``account`` sees, earliest first, after the ``(starts_at, id)``
    cursor; only those ending after ``since`` when given."""
    stmt = select(Appointment).where(visible(account))
    if since is not None:
        stmt = stmt.where(Appointment.starts_at >= since)
    if after is not None:
        at, last_id = after
        stmt = stmt.where(
            or_(
                Appointment.starts_at > at,
                and_(Appointment.starts_at == at, Appointment.id > last_id),
            )
        )
    stmt = stmt.order_by(Appointment.starts_at, Appointment.id).limit(limit + 1)
    rows = (await session.scalars(stmt)).all()
    return rows[:limit], len(rows) > limit


async def appointments_by_ids(
    session: AsyncSession, account: Account, ids: Sequence[int]
) -> dict[int, Appointment]:
    if not ids:
        return {}
    rows = await session.scalars(
        select(Appointment).where(Appointment.id.in_(ids), visible(account))
    )
    return {row.id: row for row in rows.all()}


async def appointment_for(
    session: AsyncSession, account: Account, appointment_id: int
) -> Appointment | None:
    found: Appointment | None = await session.scalar(
        select(Appointment).where(Appointment.id == appointment_id, visible(account))
    )
    return found


AgendaRow = Appointment | Workshop
AgendaCursor = tuple[datetime, int, int]  # (starts_at, 0 appointment | 1 workshop, id)


def agenda_key(row: AgendaRow) -> AgendaCursor:
    return (row.starts_at, 0 if isinstance(row, Appointment) else 1, row.id)


def _after(
    column: InstrumentedAttribute[datetime],
    id_column: InstrumentedAttribute[int],
    rank: int,
    after: AgendaCursor,
) -> ColumnElement[bool]:
    """Keyset on (starts_at, rank, id): the rows of one table (of ``rank``) after the cursor."""
    at, after_rank, after_id = after
    if rank < after_rank:
        return column > at
    if rank > after_rank:
        return column >= at
    return or_(column > at, and_(column == at, id_column > after_id))


async def agenda_items(
    session: AsyncSession,
    account: Account,
    after: AgendaCursor | None,
    since: datetime | None,
    limit: int,
) -> tuple[list[AgendaRow], bool]:
    """« Mon agenda »: appointments and the workshops the candidat registered to, in one
    time order (two keyset queries merged, each at most ``limit + 1`` rows)."""
    appointments = select(Appointment).where(visible(account))
    workshops = select(Workshop).where(in_agenda(account))
    if since is not None:
        appointments = appointments.where(Appointment.starts_at >= since)
        workshops = workshops.where(Workshop.starts_at >= since)
    if after is not None:
        appointments = appointments.where(_after(Appointment.starts_at, Appointment.id, 0, after))
        workshops = workshops.where(_after(Workshop.starts_at, Workshop.id, 1, after))
    first = await session.scalars(
        appointments.order_by(Appointment.starts_at, Appointment.id).limit(limit + 1)
    )
    second = await session.scalars(
        workshops.order_by(Workshop.starts_at, Workshop.id).limit(limit + 1)
    )
    rows: list[AgendaRow] = sorted([*first.all(), *second.all()], key=agenda_key)
    return rows[:limit], len(rows) > limit
