"""Compile a validated query into one SQL statement that returns the ``data`` JSON text.

Only what the declarations (``schema.core.compiled.declare``) name is compiled; anything
else raises ``NotCompilable`` and the document runs through the interpreter. Every value
of a request (the viewer's account, page sizes, cursors) is a bound parameter, so that a
plan is built once per document and reused across requests and variables.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    get_operation_ast,
)
from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    literal,
    select,
)
from sqlalchemy.orm import aliased

from resolvers.core.owners import owned_by
from schema.core.compiled.collect import NotCompilable, collect, sub_selections
from schema.core.compiled.connections import Connections
from schema.core.compiled.counts import counts_object
from schema.core.compiled.declare import (
    Computed,
    Counts,
    Declarations,
    Embedded,
    FieldMap,
    Link,
    Many,
    NodeId,
    Row,
    ToOne,
    Value,
    viewer_id,
)
from schema.core.compiled.pages import PageArgs
from schema.core.compiled.sqljson import JsonSql, Sql

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Fix:
    """A computed value for the post-pass: where it sits (``*``: every item of a list)."""

    path: tuple[str, ...]
    computed: Computed
    type: GraphQLNamedType  # an object type, or a scalar's or enum's for a scalar value
    nodes: tuple[FieldNode, ...]


@dataclass(frozen=True, slots=True)
class Compiled:
    statement: Select[Any]
    pages: tuple[PageArgs, ...]
    fixes: tuple[Fix, ...]
    operation: OperationDefinitionNode
    filler: Any = None  # schema.core.compiled.postpass.Filler, when there are fixes
    kinds: frozenset[str] | None = None  # the account kinds it answers for (None: all)


class Compiler:
    """One document's compilation (not reused)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        declarations: Declarations,
        roots: Mapping[str, str],
        dialect: str,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.schema = schema
        self.declarations = declarations
        self.roots = roots
        self.json = JsonSql(dialect)
        self.fragments = fragments
        self.account: Sql = viewer_id()
        self.aliases = 0
        self.fixes: list[Fix] = []
        self.kinds: frozenset[str] | None = None  # narrowed by lists declared with ``kinds``
        self.connections = Connections(self)

    def alias(self, model: type[Any]) -> Row:
        self.aliases += 1
        return aliased(model, name=f"t{self.aliases}")

    def root(self, operation: OperationDefinitionNode) -> Sql:
        query = self.schema.query_type
        assert query is not None
        pairs: list[tuple[str, Sql]] = []
        for key, nodes in collect(
            self.schema, self.fragments, query, [operation.selection_set]
        ).items():
            name = nodes[0].name.value
            if name == "__typename":
                pairs.append((key, self.json.text(query.name)))
                continue
            type_name = self.roots.get(name)
            if type_name is None or any(n.arguments for n in nodes):
                raise NotCompilable(name)
            table = self.declarations[type_name]
            row = self.alias(table.model)
            gtype = self.schema.get_type(type_name)
            assert isinstance(gtype, GraphQLObjectType)
            body = self.object(table.fields, gtype, row, nodes, (key,))
            found = select(body).where(owned_by(row, self.account)).scalar_subquery()
            pairs.append((key, self.json.embed(found)))
        return self.json.obj(pairs)

    def object(
        self,
        fields: Mapping[str, FieldMap],
        gtype: GraphQLObjectType,
        row: Row,
        nodes: list[FieldNode],
        path: tuple[str, ...],
    ) -> Sql:
        pairs: list[tuple[str, Sql]] = []
        collected = collect(self.schema, self.fragments, gtype, sub_selections(nodes))
        for key, field_nodes in collected.items():
            name = field_nodes[0].name.value
            if name == "__typename":
                pairs.append((key, self.json.text(gtype.name)))
                continue
            declared = fields.get(name)
            if declared is None:
                raise NotCompilable(f"{gtype.name}.{name}")
            if not isinstance(declared, Many) and any(n.arguments for n in field_nodes):
                raise NotCompilable(f"{gtype.name}.{name}(…)")
            gfield = gtype.fields[name]
            value = self.field(declared, gfield.type, gtype, row, field_nodes, (*path, key))
            pairs.append((key, value))
        return self.json.obj(pairs)

    def field(
        self,
        declared: FieldMap,
        gql_type: Any,
        parent: GraphQLObjectType,
        row: Row,
        nodes: list[FieldNode],
        path: tuple[str, ...],
    ) -> Sql:
        named = get_named_type(gql_type)
        if isinstance(declared, Value):
            return self.leaf(declared.expr(row), gql_type)
        if isinstance(declared, NodeId):
            type_name = declared.type_name or parent.name
            column = declared.column(row) if declared.column is not None else row.id
            return self.json.b64(self.json.concat(f"{type_name}:", column))
        if isinstance(declared, Link):
            return self.link(declared, parent, row)
        if isinstance(declared, Computed):
            self.fixes.append(Fix(path, declared, named, tuple(nodes)))
            values = [arg(row) for arg in declared.args]
            if declared.json_args is not None:
                values += declared.json_args(row, self.json)
            return self.json.array(values)
        assert isinstance(named, GraphQLObjectType)
        if isinstance(declared, Counts):
            return counts_object(self, declared, named, row, nodes)
        if isinstance(declared, Embedded):
            return self.object(declared.fields, named, row, nodes, path)
        if isinstance(declared, ToOne):
            table = self.declarations[named.name]
            target = self.alias(table.model)
            found = select(self.object(table.fields, named, target, nodes, path))
            found = found.where(target.id == declared.fk(row))
            if table.owned:
                found = found.where(owned_by(target, self.account))
            return self.json.embed(found.scalar_subquery())
        return self.connections.compile(declared, named, row, nodes, path)

    def link(self, declared: Link, parent: GraphQLObjectType, row: Row) -> Sql:
        """``Settings.link(path)``: the public URL is bound per request (``public_url``)."""
        before, after = declared.path.split("{}")
        if declared.column is not None:
            value: Sql = cast(declared.column(row), String)
        else:
            value = self.json.b64(self.json.concat(f"{parent.name}:", row.id))
        path = literal(before, String) + value + literal(after, String)
        return bindparam("public_url", type_=String) + path if declared.absolute else path

    def leaf(self, expr: Sql, gql_type: Any) -> Sql:
        base = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
        if isinstance(base, GraphQLEnumType):
            names = {_raw(v.value): n for n, v in base.values.items()}
            if all(raw == name for raw, name in names.items()):
                return expr  # stored by name already
            return case({raw: self.json.text(n) for raw, n in names.items()}, value=expr)
        name = getattr(base, "name", None)
        if name == "Boolean":
            return self.json.boolean(expr)
        if name in ("String", "Int", "Date"):
            return expr
        if name == "DateTime":
            return self.json.datetime(expr)
        if name == "ID":
            return cast(expr, String)
        raise NotCompilable(f"leaf {name}")

    def page_params(self, prefix: str) -> tuple[Sql, Sql, Sql, Sql]:
        """after, limit, limit + 1, has a cursor."""
        return (
            bindparam(f"{prefix}_after", type_=BigInteger),
            bindparam(f"{prefix}_limit", type_=Integer),
            bindparam(f"{prefix}_more", type_=Integer),
            bindparam(f"{prefix}_prev", type_=Boolean),
        )


def _raw(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def compile_document(
    schema: GraphQLSchema,
    declarations: Declarations,
    roots: Mapping[str, str],
    dialect: str,
    document: DocumentNode,
    operation_name: str | None,
) -> Compiled | None:
    """The plan of a document's query, or None when it needs the interpreter."""
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY or operation.directives:
        return None
    if any(v.directives for v in operation.variable_definitions or ()):
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    compiler = Compiler(schema, declarations, roots, dialect, fragments)
    try:
        data = compiler.root(operation)
    except NotCompilable:
        return None
    except Exception:  # a bug in the compiler: the interpreter answers, and we hear of it
        log.exception("compiling a document failed")
        return None
    pages = tuple(compiler.connections.pages)
    fixes = tuple(compiler.fixes)
    return Compiled(select(data.label("data")), pages, fixes, operation, None, compiler.kinds)
