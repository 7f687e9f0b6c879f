"""Several ``first_per_group`` pages of different tables in ONE statement.

A request that shows a candidat's dossiers, each dossier's CVs and alerts, and the
applications with their offers would take one round trip per list. ``PagesAtOnce`` ranks
each select like ``resolvers.core.paging.first_per_group`` (``ROW_NUMBER() OVER (PARTITION BY
group ORDER BY order)``, the first ``limit + 1`` rows of each group) and sends them as one
``UNION ALL``. The branches differ in shape, so the union's columns are laid out in blocks:
one block per entity class (shared by the parts that select it) and one per part for its
extra columns; a branch fills its own blocks and leaves the others NULL. The NULLs are
typed (``CAST(NULL AS …)``): PostgreSQL resolves a chain of UNIONs pairwise and would take
two bare NULLs for text. Results are converted by the column types as usual.

Building such a statement costs far more CPU than running it (a few hundred column
objects), so it is built once per shape and run with new values: the parts' selects use
named bound parameters (``Param``), given to ``run`` with each part's page size.

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

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    cast,
    func,
    inspect,
    literal,
    null,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute, make_transient_to_detached
from sqlalchemy.sql.elements import KeyedColumnElement
from sqlalchemy.sql.selectable import Subquery

from resolvers.core.paging import Page

Column = ColumnElement[Any] | QueryableAttribute[Any]
# A value, or a named bound parameter of a statement built once and run many times.
Param = int | BindParameter[int]


@dataclass(frozen=True)
class Part:
    """One list of the batch: ``stmt`` selects ``entities`` then optional extra columns (not
    columns of those entities), already filtered to its groups and cursor; each group's
    rows come in ``order``."""

    stmt: Select[*tuple[Any, ...]]
    entities: tuple[type[Any], ...]
    group: Column
    order: Column


@dataclass(frozen=True)
class _Ranked:
    name: str
    part: Part
    sub: Subquery
    # Per entity: (attribute key, column of ``sub``); then the extra columns of ``sub``.
    entity_columns: dict[type[Any], list[tuple[str, KeyedColumnElement[Any]]]]
    extras: list[KeyedColumnElement[Any]]


def _rank(name: str, part: Part) -> _Ranked:
    rank = func.row_number().over(partition_by=part.group, order_by=part.order)
    sub = part.stmt.add_columns(part.group.label("page_group"), rank.label("page_rank")).subquery()
    taken: set[str] = {"page_group", "page_rank"}
    entity_columns: dict[type[Any], list[tuple[str, KeyedColumnElement[Any]]]] = {}
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


class _Builder:
    """Builds detached instances of an entity from the values of one union row."""

    def __init__(self, entity: type[Any], keys: list[str]) -> None:
        mapper = inspect(entity)
        attr_of = {a.columns[0].key: a.key for a in mapper.column_attrs}
        self.entity = entity
        self.keys = keys
        self.primary = [keys.index(attr_of[c.key]) for c in mapper.primary_key]

    def build(self, values: tuple[Any, ...]) -> Any:
        if all(values[i] is None for i in self.primary):
            return None
        obj = self.entity(**dict(zip(self.keys, values, strict=True)))
        make_transient_to_detached(obj)
        return obj


class PagesAtOnce:
    """The one statement of several parts; build it once per shape, ``run`` it many times.
    Each part's row limit is the bound parameter ``<part>_rows`` (given by ``run``)."""

    def __init__(self, parts: Mapping[str, Part]) -> None:
        ranked = [_rank(name, part) for name, part in parts.items()]
        # The column blocks: (first column, width) per (part, entity) and per part's extras.
        self.blocks: dict[tuple[str, type[Any] | None], tuple[int, int]] = {}
        self.builders: dict[tuple[str, type[Any]], _Builder] = {}
        self.entities = {r.name: tuple(r.entity_columns) for r in ranked}
        types: list[Any] = []  # of each union column after the part, group and rank
        for r in ranked:
            for entity, pairs in r.entity_columns.items():
                block = next((b for (_n, e), b in self.blocks.items() if e is entity), None)
                if block is None:
                    block = (3 + len(types), len(pairs))
                    types += [column.type for _key, column in pairs]
                self.blocks[(r.name, entity)] = block
                self.builders[(r.name, entity)] = _Builder(entity, [k for k, _c in pairs])
        for r in ranked:
            self.blocks[(r.name, None)] = (3 + len(types), len(r.extras))
            types += [c.type for c in r.extras]
        branches = [self._branch(r, types) for r in ranked]
        union = branches[0].union_all(*branches[1:]) if len(branches) > 1 else branches[0]
        sub = union.subquery()
        self.stmt = select(sub).order_by(sub.c.c1, sub.c.c2)

    def _branch(self, r: _Ranked, types: list[Any]) -> Select[*tuple[Any, ...]]:
        columns: list[Any] = [cast(null(), t) for t in types]
        for entity, pairs in r.entity_columns.items():
            start, _width = self.blocks[(r.name, entity)]
            columns[start - 3 : start - 3 + len(pairs)] = [c for _k, c in pairs]
        start, width = self.blocks[(r.name, None)]
        columns[start - 3 : start - 3 + width] = r.extras
        head = [literal(r.name).label("c0"), r.sub.c.page_group, r.sub.c.page_rank]
        labelled = [c.label(f"c{i}") for i, c in enumerate([*head, *columns])]
        rows = bindparam(f"{r.name}_rows", type_=Integer)
        return select(*labelled).where(r.sub.c.page_rank <= rows)

    async def run(
        self, session: AsyncSession, limits: Mapping[str, int], params: Mapping[str, Any]
    ) -> dict[str, dict[int, Page]]:
        """Each part's page of each group that has rows (absent: an empty page), for
        ``limits`` (page sizes by part) and the parts' named parameters. A row is the entity,
        or a tuple of the entities then the extras when there are several."""
        values = {**params, **{f"{name}_rows": limit + 1 for name, limit in limits.items()}}
        found: dict[str, dict[int, list[Any]]] = {name: defaultdict(list) for name in limits}
        for row in (await session.execute(self.stmt, values)).all():
            name = row[0]
            items: list[Any] = []
            for entity in self.entities[name]:
                start, width = self.blocks[(name, entity)]
                items.append(self.builders[(name, entity)].build(row[start : start + width]))
            start, width = self.blocks[(name, None)]
            items += row[start : start + width]
            found[name][row[1]].append(items[0] if len(items) == 1 else tuple(items))
        return {
            name: {
                g: (rows[: limits[name]], len(rows) > limits[name]) for g, rows in groups.items()
            }
            for name, groups in found.items()
        }
