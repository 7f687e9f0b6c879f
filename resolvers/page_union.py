"""Several ``first_per_group`` pages of different tables in ONE statement.

A request that shows a candidat's dossiers, each dossier's CVs and alerts, and the
applications with their offers would take one round trip per list. ``pages_at_once`` ranks
each select like ``resolvers.paging.first_per_group`` (``ROW_NUMBER() OVER (PARTITION BY
group ORDER BY order)``, the first ``limit + 1`` rows of each group) and sends them as one
``UNION ALL``. The branches differ in shape, so the union's columns are laid out in blocks:
one block per entity class (shared by the parts that select it) and one per part for its
extra columns; a branch fills its own blocks and leaves the others NULL (typed NULLs, so
every backend resolves each column to one type and results are converted as usual).

Rows come back as detached ORM instances (``make_transient_to_detached``: no pending
changes, nothing expired), the same values a ``select(Entity)`` would load. A part may
select several entities (``select(Application, Offer).join(...)``); an entity whose primary
key is NULL in a row (an outer join) comes back as None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, inspect, literal, null, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, make_transient_to_detached
from sqlalchemy.sql.selectable import Subquery

from resolvers.paging import Page

Column = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class Part:
    """One list of the batch: ``stmt`` selects ``entities`` then optional extra columns (not
    columns of those entities), already filtered to its groups and cursor; each group's first
    ``limit`` rows in ``order`` come back, with whether more follow."""

    stmt: Select[*tuple[Any, ...]]
    entities: tuple[type[Any], ...]
    group: Column
    order: Column
    limit: int


@dataclass(frozen=True)
class _Ranked:
    name: str
    part: Part
    sub: Subquery
    # Per entity: (attribute key, column of ``sub``); then the extra columns of ``sub``.
    entity_columns: dict[type[Any], list[tuple[str, ColumnElement[Any]]]]
    extras: list[ColumnElement[Any]]


def _rank(name: str, part: Part) -> _Ranked:
    rank = func.row_number().over(partition_by=part.group, order_by=part.order)
    sub = part.stmt.add_columns(part.group.label("page_group"), rank.label("page_rank")).subquery()
    taken: set[str] = {"page_group", "page_rank"}
    entity_columns: dict[type[Any], list[tuple[str, ColumnElement[Any]]]] = {}
    for entity in part.entities:
        pairs = []
        for attr in inspect(entity).column_attrs:
            found = sub.corresponding_column(attr.columns[0])
            if found is None:
                raise ValueError(f"{name}: {entity.__name__}.{attr.key} is not selected")
            pairs.append((attr.key, found))
            taken.add(found.key)
        entity_columns[entity] = pairs
    extras = [c for c in sub.c if c.key not in taken]
    return _Ranked(name, part, sub, entity_columns, extras)


def _layout(ranked: list[_Ranked]) -> tuple[dict[type[Any], list[Any]], dict[str, list[Any]]]:
    """The union's column types: one block per entity class, one per part's extras."""
    entities: dict[type[Any], list[Any]] = {}
    for r in ranked:
        for entity, pairs in r.entity_columns.items():
            entities.setdefault(entity, [column.type for _key, column in pairs])
    extras = {r.name: [c.type for c in r.extras] for r in ranked}
    return entities, extras


def _branch(
    r: _Ranked, entities: dict[type[Any], list[Any]], extras: dict[str, list[Any]]
) -> Select[*tuple[Any, ...]]:
    columns: list[Any] = [
        literal(r.name).label("page_part"),
        r.sub.c.page_group,
        r.sub.c.page_rank,
    ]
    for entity, types in entities.items():
        own = r.entity_columns.get(entity)
        columns += [c for _k, c in own] if own else [type_coerce(null(), t) for t in types]
    for name, types in extras.items():
        columns += r.extras if name == r.name else [type_coerce(null(), t) for t in types]
    labelled = [c.label(f"c{i}") for i, c in enumerate(columns)]
    return select(*labelled).where(r.sub.c.page_rank <= r.part.limit + 1)


class _Builder:
    """Builds detached instances of an entity from the values of one union row."""

    def __init__(self, entity: type[Any], keys: list[str]) -> None:
        mapper = inspect(entity)
        attr_of = {a.columns[0].key: a.key for a in mapper.column_attrs}
        self.entity = entity
        self.keys = keys
        self.primary = [keys.index(attr_of[c.key]) for c in mapper.primary_key]

    def build(self, values: list[Any]) -> Any:
        if all(values[i] is None for i in self.primary):
            return None
        obj = self.entity(**dict(zip(self.keys, values, strict=True)))
        make_transient_to_detached(obj)
        return obj


async def pages_at_once(
    session: AsyncSession, parts: Mapping[str, Part]
) -> dict[str, dict[int, Page]]:
    """Run every part in one statement. Returns, per part, the page of each group that has
    rows (absent: an empty page); a row is the entity, or a tuple of the entities then the
    extras when there are several."""
    ranked = [_rank(name, part) for name, part in parts.items()]
    if not ranked:
        return {}
    entities, extras = _layout(ranked)
    branches = [_branch(r, entities, extras) for r in ranked]
    union = (branches[0].union_all(*branches[1:]) if len(branches) > 1 else branches[0]).subquery()
    # c0: the part, c1: the group, c2: the rank; then the blocks.
    rows = (await session.execute(select(union).order_by(union.c.c1, union.c.c2))).all()
    blocks: dict[tuple[str, type[Any] | None], tuple[int, int]] = {}
    at = 3
    for entity, types in entities.items():
        for r in ranked:
            blocks[(r.name, entity)] = (at, len(types))
        at += len(types)
    for name, types in extras.items():
        blocks[(name, None)] = (at, len(types))
        at += len(types)
    builders = {
        (r.name, entity): _Builder(entity, [key for key, _c in pairs])
        for r in ranked
        for entity, pairs in r.entity_columns.items()
    }
    found: dict[str, dict[int, list[Any]]] = {name: defaultdict(list) for name in parts}
    for row in rows:
        name = row[0]
        values: list[Any] = []
        for entity in parts[name].entities:
            start, width = blocks[(name, entity)]
            values.append(builders[(name, entity)].build(list(row[start : start + width])))
        start, width = blocks[(name, None)]
        values += row[start : start + width]
        found[name][row[1]].append(values[0] if len(values) == 1 else tuple(values))
    return {
        name: {
            g: (rows_[: parts[name].limit], len(rows_) > parts[name].limit)
            for g, rows_ in groups.items()
        }
        for name, groups in found.items()
    }
