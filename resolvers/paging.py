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
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, aliased

Page = tuple[list[Any], bool]
Column = ColumnElement[Any] | QueryableAttribute[Any]


async def first_per_group(
    session: AsyncSession,
    stmt: Select[*tuple[Any, ...]],
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
