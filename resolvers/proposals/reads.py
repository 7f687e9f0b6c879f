"""Reading proposals: the pages of a candidat and an employer, pending counts, batches for the
DataLoaders and the live log."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.proposals import Proposal, ProposalStatus
from resolvers.core.owners import owned_by
from resolvers.core.paging import KeysetPage, Window, keyset_page
from resolvers.proposals.manage import MAX_ID


def received_select(candidate_id: int, pending_only: bool) -> Select[Proposal]:
    """Proposals addressed to the candidat (only unanswered ones, if asked); the compiled
    reads filter with the same ``owned_by`` and ``pending`` (``schema.proposals.compiled``)."""
    stmt = select(Proposal).where(owned_by(Proposal, candidate_id))
    if pending_only:
        stmt = stmt.where(pending(Proposal, utcnow()))
    return stmt


def sent_select(employer_id: int) -> Select[Proposal]:
    return select(Proposal).where(Proposal.employer_id == employer_id)


async def proposals_page(
    session: AsyncSession, stmt: Select[Proposal], window: Window
) -> KeysetPage:
    """Newest first: one page of ``received_select`` or ``sent_select``."""
    return await keyset_page(session, stmt, Proposal.id, True, window)


def pending(row: Any, now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    """SQL: ``row`` (the model or an alias) awaits its candidat's answer at ``now``."""
    return and_(
        row.status == ProposalStatus.PENDING.value,
        row.deadline.is_(None) | (row.deadline > now),
    )


def effective_status(row: Any, now: datetime | ColumnElement[datetime]) -> ColumnElement[str]:
    """SQL twin of ``manage.effective_status``: EXPIRED for an unanswered one past its
    deadline, else the stored status."""
    late = and_(
        row.status == ProposalStatus.PENDING.value,
        row.deadline.is_not(None),
        row.deadline <= now,
    )
    return case((late, ProposalStatus.EXPIRED.value), else_=row.status)


def pending_count_select(
    candidate_id: int | BindParameter[int], now: datetime | BindParameter[datetime]
) -> Select[int]:
    """The count of proposals awaiting the candidat's answer (on the candidat's index);
    values or named parameters of a statement built once (``resolvers.dashboard.summary``)."""
    return select(func.count(Proposal.id)).where(
        owned_by(Proposal, candidate_id), pending(Proposal, now)
    )


async def pending_count(session: AsyncSession, candidate_id: int) -> int:
    """How many proposals await the candidat's answer (one COUNT on the candidat's index)."""
    found = await session.scalar(pending_count_select(candidate_id, utcnow()))
    return int(found or 0)


async def proposals_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, Proposal]:
    """The proposals among ``ids`` that the account sent or received (others absent)."""
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    stmt = select(Proposal).where(
        Proposal.id.in_(wanted),
        (Proposal.candidate_id == account_id) | (Proposal.employer_id == account_id),
    )
    return {p.id: p for p in (await session.scalars(stmt)).all()}


# --- the candidat's log, for the ``proposalReceived`` live topic ------------------------


async def proposals_after(
    session: AsyncSession, candidate_id: int, after_id: int, limit: int
) -> Sequence[Proposal]:
    """Oldest first: proposals addressed to the candidat after ``after_id``."""
    stmt = (
        select(Proposal)
        .where(Proposal.candidate_id == candidate_id, Proposal.id > min(after_id, MAX_ID))
        .order_by(Proposal.id)
        .limit(limit)
    )
    return (await session.scalars(stmt)).all()


async def latest_proposal_id(session: AsyncSession, candidate_id: int) -> int:
    found = await session.scalar(
        select(func.max(Proposal.id)).where(Proposal.candidate_id == candidate_id)
    )
    return int(found or 0)


async def latest_proposal_ids(
    session: AsyncSession, candidate_ids: Collection[int]
) -> dict[int, int]:
    """The last proposal id of each candidat that has one (one query per 5,000)."""
    ids = sorted(candidate_ids)
    latest: dict[int, int] = {}
    for start in range(0, len(ids), 5000):
        rows = await session.execute(
            select(Proposal.candidate_id, func.max(Proposal.id))
            .where(Proposal.candidate_id.in_(ids[start : start + 5000]))
            .group_by(Proposal.candidate_id)
        )
        latest.update((int(a), int(m)) for a, m in rows)
    return latest
