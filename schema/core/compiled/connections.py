"""Relay connections in SQL: edges (cursor, node), pageInfo and totalCount, the same page as
the interpreter's keyset paging (``resolvers.core.paging``) for ``first``/``after``.

Each part is a correlated subquery on the parent row; the page is read ordered by the key
and limited, so that a list under a list (each dossier's CVs) stays one statement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from graphql import FieldNode, GraphQLObjectType, GraphQLSchema, get_named_type
from sqlalchemy import Boolean, and_, bindparam, func, literal, not_, or_, select, tuple_

from resolvers.core.owners import owned_by
from schema.core.compiled.collect import Fragments, NotCompilable, collect, sub_selections
from schema.core.compiled.declare import Declarations, FieldMap, Many, Row, Table
from schema.core.compiled.pages import PageArgs, page_args
from schema.core.compiled.sqljson import JsonSql, Sql


class Compiler(Protocol):
    """What the connections need of ``schema.core.compiled.compiler.Compiler``."""

    schema: GraphQLSchema
    declarations: Declarations
    fragments: Fragments
    json: JsonSql
    account: Sql
    kinds: frozenset[str] | None

    def alias(self, model: type[Any]) -> Row: ...

    def object(
        self,
        fields: Mapping[str, FieldMap],
        gtype: GraphQLObjectType,
        row: Row,
        nodes: list[FieldNode],
        path: tuple[str, ...],
    ) -> Sql: ...

    def page_params(self, prefix: str) -> tuple[Sql, Sql, Sql, Sql]: ...


MAX_KEY = 2**63 - 1


class Connections:
    """The connection fields of one compilation."""

    def __init__(self, compiler: Compiler) -> None:
        self.compiler = compiler
        self.pages: list[PageArgs] = []

    def compile(
        self,
        many: Many,
        conn_type: GraphQLObjectType,
        parent: Row,
        nodes: list[FieldNode],
        path: tuple[str, ...],
    ) -> Sql:
        c = self.compiler
        if many.kinds is not None:
            c.kinds = many.kinds if c.kinds is None else c.kinds & many.kinds
        prefix = f"c{len(self.pages) + 1}"
        self.pages.append(page_args(prefix, nodes[0], tuple(many.filters)))
        params = c.page_params(prefix)
        table = c.declarations[many.node]
        pairs: list[tuple[str, Sql]] = []
        for key, field_nodes in collect(
            c.schema, c.fragments, conn_type, sub_selections(nodes)
        ).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                pairs.append((key, c.json.text(conn_type.name)))
            elif name == "totalCount":
                child, conds = self.scope(many, table, parent, prefix)
                count = select(func.count()).select_from(child).where(*conds)
                pairs.append((key, count.scalar_subquery()))
            elif name in many.counts:
                child, conds = self.scope(many, table, parent, None)
                conds.append(many.counts[name](child))
                count = select(func.count()).select_from(child).where(*conds)
                pairs.append((key, count.scalar_subquery()))
            elif name == many.latest and many.order is None:
                child, conds = self.scope(many, table, parent, None)
                last = func.coalesce(func.max(many.key(child)), 0)
                newest = select(last).select_from(child).where(*conds).scalar_subquery()
                pairs.append((key, self.cursor(newest)))
            elif name == "edges":
                edges = self.edges(
                    many, table, conn_type, parent, field_nodes, (*path, key), params, prefix
                )
                pairs.append((key, edges))
            elif name == "pageInfo":
                info = conn_type.fields[name].type
                page_info = self.page_info(many, table, info, parent, field_nodes, params, prefix)
                pairs.append((key, page_info))
            else:
                raise NotCompilable(f"{conn_type.name}.{name}")
        return c.json.obj(pairs)

    def scope(
        self, many: Many, table: Table, parent: Row, prefix: str | None
    ) -> tuple[Row, list[Sql]]:
        """A fresh row alias and the list's conditions; with a page's ``prefix``, its
        filter arguments too (each applies when bound true)."""
        child = self.compiler.alias(table.model)
        conds: list[Sql] = []
        if table.owned:
            conds.append(owned_by(child, self.compiler.account))
        if many.link is not None:
            conds.append(many.link(child, parent))
        if many.gate is not None:
            conds.append(many.gate(parent))
        if prefix is not None:
            for name, condition in many.filters.items():
                asked = bindparam(f"{prefix}_{name}", type_=Boolean)
                conds.append(or_(not_(asked), condition(child)))
        return child, conds

    def window(
        self, many: Many, table: Table, parent: Row, params: tuple[Sql, ...], prefix: str
    ) -> tuple[Row, Sql, list[Sql], list[Sql]]:
        """A fresh row alias, its key, its conditions (cursor included) and its order."""
        after = params[0]
        child, conds = self.scope(many, table, parent, prefix)
        key = many.key(child)
        if many.order is not None:
            return (
                child,
                key,
                [*conds, self.past(many, table, child, after)],
                self.order(many, many.order(child), key),
            )
        if many.descending:
            conds.append(key < func.coalesce(after, MAX_KEY))
            return child, key, conds, [key.desc()]
        conds.append(key > func.coalesce(after, -1))
        return child, key, conds, [key.asc()]

    def past(self, many: Many, table: Table, child: Row, after: Sql) -> Sql:
        """Past the cursor's row by (order, key), the cursor naming the key alone: none when
        the cursor's row is not one of the owner's (as ``payments_page`` reads it)."""
        assert many.order is not None
        row = self.compiler.alias(table.model)
        lead = select(many.order(row)).where(many.key(row) == after)
        if table.owned:
            lead = lead.where(owned_by(row, self.compiler.account))
        mine = tuple_(many.order(child), many.key(child))
        theirs = tuple_(lead.scalar_subquery(), after)
        return or_(after.is_(None), mine < theirs if many.descending else mine > theirs)

    @staticmethod
    def order(many: Many, lead: Sql, key: Sql) -> list[Sql]:
        columns = [lead, key] if many.order is not None else [key]
        return [c.desc() if many.descending else c.asc() for c in columns]

    def cursor(self, key: Sql) -> Sql:
        json = self.compiler.json
        return json.b64url(json.concat("c:", key))

    def edges(
        self,
        many: Many,
        table: Table,
        conn_type: GraphQLObjectType,
        parent: Row,
        nodes: list[FieldNode],
        path: tuple[str, ...],
        params: tuple[Sql, ...],
        prefix: str,
    ) -> Sql:
        c = self.compiler
        edge_type = get_named_type(conn_type.fields["edges"].type)
        assert isinstance(edge_type, GraphQLObjectType)
        child, key, conds, order = self.window(many, table, parent, params, prefix)
        pairs: list[tuple[str, Sql]] = []
        for name_key, edge_nodes in collect(
            c.schema, c.fragments, edge_type, sub_selections(nodes)
        ).items():
            name = edge_nodes[0].name.value
            if name == "__typename":
                pairs.append((name_key, c.json.text(edge_type.name)))
            elif name == "cursor":
                pairs.append((name_key, self.cursor(key)))
            elif name == "node":
                node_type = get_named_type(edge_type.fields["node"].type)
                assert isinstance(node_type, GraphQLObjectType)
                where = (*path, "*", name_key)
                pairs.append(
                    (name_key, c.object(table.fields, node_type, child, edge_nodes, where))
                )
            else:
                raise NotCompilable(f"{edge_type.name}.{name}")
        columns = [c.json.obj(pairs).label("j"), key.label("k")]
        if many.order is not None:
            columns.append(many.order(child).label("o"))
        page = (
            select(*columns)
            .where(*conds)
            .order_by(*order)
            .limit(params[1])
            .correlate(parent)
            .subquery()
        )
        ordered = self.order(many, page.c.o if many.order is not None else page.c.k, page.c.k)
        return c.json.embed(select(c.json.agg(page.c.j, *ordered)).scalar_subquery())

    def page_info(
        self,
        many: Many,
        table: Table,
        info_type: Any,
        parent: Row,
        nodes: list[FieldNode],
        params: tuple[Sql, ...],
        prefix: str,
    ) -> Sql:
        c = self.compiler
        _after, limit, more, prev = params
        gtype = get_named_type(info_type)
        assert isinstance(gtype, GraphQLObjectType)
        pairs: list[tuple[str, Sql]] = []
        for key, field_nodes in collect(
            c.schema, c.fragments, gtype, sub_selections(nodes)
        ).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                pairs.append((key, c.json.text(gtype.name)))
            elif name == "hasPreviousPage":
                gate = many.gate(parent) if many.gate is not None else literal(True)
                pairs.append((key, c.json.boolean(and_(prev, gate))))
            elif name == "hasNextPage":
                _child, _key, conds, _order = self.window(many, table, parent, params, prefix)
                probe = select(literal(1)).where(*conds).limit(more).correlate(parent).subquery()
                counted = select(func.count()).select_from(probe).scalar_subquery()
                pairs.append((key, c.json.boolean(counted > limit)))
            elif name in ("startCursor", "endCursor"):
                edge = self.end(many, table, parent, params, prefix, name == "startCursor")
                pairs.append((key, self.cursor(edge)))
            else:
                raise NotCompilable(f"{gtype.name}.{name}")
        return c.json.obj(pairs)

    def end(
        self,
        many: Many,
        table: Table,
        parent: Row,
        params: tuple[Sql, ...],
        prefix: str,
        start: bool,
    ) -> Sql:
        """The key of the page's first (``start``) or last row; null on an empty page."""
        child, key_col, conds, order = self.window(many, table, parent, params, prefix)
        lead = many.order(child) if many.order is not None else key_col
        keys = select(key_col.label("k"), lead.label("o")).where(*conds).order_by(*order)
        page = keys.limit(params[1]).correlate(parent).subquery()
        if many.order is None:
            lowest = start != many.descending
            pick = func.min(page.c.k) if lowest else func.max(page.c.k)
            return select(pick).scalar_subquery()
        # The page's order for its first row, the reverse for its last.
        down = many.descending == start
        picked = [c.desc() if down else c.asc() for c in (page.c.o, page.c.k)]
        return select(page.c.k).order_by(*picked).limit(1).scalar_subquery()
