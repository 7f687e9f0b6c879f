"""One page per group in one statement: the first ``limit`` rows of each parent (each
dossier's alerts, CVs, applications…), so that a list under a list costs one query, not one
per parent (no N+1).

``first_per_group`` ranks the rows of a select with ``ROW_NUMBER() OVER (PARTITION BY …)``
(SQLite ≥ 3.25 and PostgreSQL) and keeps the first ``limit + 1`` of each group, the extra
one telling whether a next page exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, aliased

Page = tuple[list[Any], bool]
AnySelect = Select[*tuple[Any, ...]]
Column = ColumnElement[Any] | QueryableAttribute[Any]


async def first_per_group(
    session: AsyncSession,
    stmt: AnySelect,
    entity: type[Any],
    group: Column,
    order: Column,
    groups: Sequence[int],
    limit: int,
) -> dict[int, Page]:
    """``stmt`` selects ``entity`` (then optional extra columns) and is already filtered to
    ``group IN groups`` and any cursor; returns each group's rows (entity, or a tuple when
    there are extra columns) in ``order`` and whether more follow."""
    rank = func.row_number().over(partition_by=group, order_by=order).label("page_rank")
    ranked = stmt.add_columns(group.label("page_group"), rank).subquery()
    row_entity = aliased(entity, ranked)
    extras = [c for c in ranked.c if c.name not in entity.__table__.c]
    extras = [c for c in extras if c.name not in ("page_group", "page_rank")]
    query = (
        select(row_entity, *extras, ranked.c.page_group)
        .where(ranked.c.page_rank <= limit + 1)
        .order_by(ranked.c.page_group, ranked.c.page_rank)
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in (await session.execute(query)).all():
        *values, key = row
        found[key].append(values[0] if len(values) == 1 else tuple(values))
    return {g: (found[g][:limit], len(found[g]) > limit) for g in groups}


MAX_KEY = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Window:
    """The page a client asks for, on a list ordered by an integer key (the id).

    ``after``/``before`` are keys of the list's own order (for a newest-first list "after"
    means older); ``from_end`` is Relay's ``last``: the ``limit`` items nearest ``before``
    (or the end of the list), still returned in list order."""

    after: int | None = None
    before: int | None = None
    limit: int = 20
    from_end: bool = False

    @property
    def forward_only(self) -> bool:
        """A plain ``first``/``after`` page (the form the batched loaders serve)."""
        return self.before is None and not self.from_end


@dataclass(frozen=True, slots=True)
class KeysetPage:
    rows: list[Any]
    has_next: bool
    has_previous: bool


def windowed(stmt: AnySelect, key: Column, descending: bool, window: Window) -> AnySelect:
    """``stmt`` restricted to the window's cursors, ordered for reading from the window's
    side, limited to one more row than the page (that row tells whether more follow)."""
    stmt = after_cursors(stmt, key, descending, window)
    reverse = descending != window.from_end  # read from the end: the list order reversed
    return stmt.order_by(key.desc() if reverse else key.asc()).limit(window.limit + 1)


def cut(rows: Sequence[Any], window: Window) -> KeysetPage:
    """One page from the rows ``windowed`` read (in list order), with Relay's page info."""
    more = len(rows) > window.limit
    page = list(rows[: window.limit])
    if window.from_end:
        page.reverse()
        return KeysetPage(page, has_next=window.before is not None, has_previous=more)
    return KeysetPage(page, has_next=more, has_previous=window.after is not None)


async def keyset_page(
    session: AsyncSession,
    stmt: AnySelect,
    key: Column,
    descending: bool,
    window: Window,
) -> KeysetPage:
    """One page of ``stmt`` (its filters only, no order) in one statement."""
    rows = (await session.scalars(windowed(stmt, key, descending, window))).all()
    return cut(rows, window)


async def count_rows(session: AsyncSession, stmt: AnySelect) -> int:
    """How many rows ``stmt`` selects in all (one COUNT, whatever the page)."""
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    return int(await session.scalar(counted) or 0)


async def count_per_group(
    session: AsyncSession, stmt: AnySelect, group: Column, groups: Sequence[int]
) -> dict[int, int]:
    """How many rows ``stmt`` selects for each of ``groups``, in one grouped COUNT."""
    if not groups:
        return {}
    counted = (
        stmt.with_only_columns(group, func.count())
        .where(group.in_(list(groups)))
        .group_by(group)
        .order_by(None)
    )
    rows = await session.execute(counted)
    found = {int(g): int(n) for g, n in rows.all()}
    return {g: found.get(g, 0) for g in groups}


def after_cursors(stmt: AnySelect, key: Column, descending: bool, window: Window) -> AnySelect:
    """``stmt`` restricted to the rows between the window's cursors."""
    follows = key.__lt__ if descending else key.__gt__
    precedes = key.__gt__ if descending else key.__lt__
    if window.after is not None:
        stmt = stmt.where(follows(min(window.after, MAX_KEY)))
    if window.before is not None:
        stmt = stmt.where(precedes(min(window.before, MAX_KEY)))
    return stmt


async def windows_per_group(
    session: AsyncSession,
    stmt: AnySelect,
    entity: type[Any],
    group: Column,
    key: QueryableAttribute[int],
    descending: bool,
    groups: Sequence[int],
    window: Window,
) -> dict[int, KeysetPage]:
    """The same window of each group's list (ordered by ``key``) in one statement."""
    stmt = after_cursors(stmt, key, descending, window)
    reverse = descending != window.from_end
    order = key.desc() if reverse else key.asc()
    pages = await first_per_group(session, stmt, entity, group, order, groups, window.limit)
    return {g: cut([*rows, *([None] if more else [])], window) for g, (rows, more) in pages.items()}
