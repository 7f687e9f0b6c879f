"""Reading applications: the pages of a candidat and an employer, and batches for the
DataLoaders."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.applications import Application, ApplicationChange
from models.dossiers import Dossier
from models.offers import Offer
from resolvers.applications.manage import MAX_ID
from resolvers.core.page_union import Param
from resolvers.core.paging import KeysetPage, Window, keyset_page


async def candidate_applications_page(
    session: AsyncSession, account_id: int, before_id: int | None, limit: int
) -> tuple[Sequence[Application], bool]:
    """Newest first: one page of the candidat's applications."""
    stmt = select(Application).where(Application.account_id == account_id)
    return await _page(session, stmt, before_id, limit)


def candidate_applications_select(
    account_id: Param, before_id: Param | None, with_offers: bool
) -> Select[*tuple[Any, ...]]:
    """The candidat's applications before ``before_id`` (unordered: callers page them,
    newest first), each with its offer when asked."""
    stmt: Select[*tuple[Any, ...]] = select(Application)
    if with_offers:
        stmt = select(Application, Offer).outerjoin(Offer, Offer.id == Application.offer_id)
    stmt = stmt.where(Application.account_id == account_id)
    if before_id is not None:
        stmt = stmt.where(Application.id < before_id)
    return stmt


def employer_applications_select(
    employer_id: int, offer_id: int | None, statuses: Collection[str] | None
) -> Select[Application]:
    """Applications to the employer's offers (one offer, some statuses)."""
    stmt = select(Application).where(Application.employer_id == employer_id)
    if offer_id is not None:
        stmt = stmt.where(Application.offer_id == min(offer_id, MAX_ID))
    if statuses:
        stmt = stmt.where(Application.status.in_(list(statuses)))
    return stmt


def own_applications_select(account_id: int) -> Select[Application]:
    """The candidat's applications (callers page them, newest first)."""
    return select(Application).where(Application.account_id == account_id)


async def applications_page(
    session: AsyncSession, stmt: Select[Application], window: Window
) -> KeysetPage:
    """Newest first: one page of applications."""
    return await keyset_page(session, stmt, Application.id, True, window)


async def _page(
    session: AsyncSession, stmt: Select[Application], before_id: int | None, limit: int
) -> tuple[Sequence[Application], bool]:
    if before_id is not None:
        stmt = stmt.where(Application.id < min(before_id, MAX_ID))
    rows = (await session.scalars(stmt.order_by(Application.id.desc()).limit(limit + 1))).all()
    return rows[:limit], len(rows) > limit


async def applications_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, Application]:
    """The applications among ``ids`` that the account made or received (others absent)."""
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    stmt = select(Application).where(
        Application.id.in_(wanted),
        (Application.account_id == account_id) | (Application.employer_id == account_id),
    )
    return {a.id: a for a in (await session.scalars(stmt)).all()}


async def changes_by_application_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[ApplicationChange]]:
    """The history of each application, oldest first (a few rows each, by construction)."""
    found: dict[int, list[ApplicationChange]] = {i: [] for i in ids}
    if not ids:
        return found
    stmt = (
        select(ApplicationChange)
        .where(ApplicationChange.application_id.in_(ids))
        .order_by(ApplicationChange.id)
    )
    for row in (await session.scalars(stmt)).all():
        found[row.application_id].append(row)
    return found


async def dossiers_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Dossier]:
    """Dossiers by id, whoever owns them: callers show them only where a rule allows
    (an applicant to the employer's offer, a candidat who accepted a proposal)."""
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    rows = (await session.scalars(select(Dossier).where(Dossier.id.in_(wanted)))).all()
    return {d.id: d for d in rows}
