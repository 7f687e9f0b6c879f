"""Documents generated from the compiled subset of the schema (hypothesis-graphql): the
schema pruned to the fields the declarations compile, so that most documents take the
compiled path (and every one of them is valid against the real schema)."""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldDefinitionNode,
    GraphQLObjectType,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    build_ast_schema,
    get_named_type,
    parse,
    print_schema,
)
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import queries

from schema.core.compiled.declare import Computed, Embedded, Many, Table

KEPT_ARGS = {"first"}


def _declared(tables: dict[str, Table], schema: GraphQLSchema) -> dict[str, set[str]]:
    """Type name -> the fields the compiler handles (None: every field of a plain type)."""
    kept: dict[str, set[str]] = {"Query": {"viewer"}}
    computed: dict[str, set[str]] = {}

    def embedded(type_name: str, fields: Any) -> None:
        kept[type_name] = set(fields)
        gtype: Any = schema.get_type(type_name)
        for name, declared in fields.items():
            named = get_named_type(gtype.fields[name].type)
            if isinstance(declared, Embedded):
                embedded(named.name, declared.fields)
            elif isinstance(declared, Computed) and isinstance(named, GraphQLObjectType):
                data_fields(named)

    def data_fields(gtype: GraphQLObjectType) -> None:
        """Under a computed field, the post-pass copies data fields and a node's id only."""
        if gtype.name in computed:
            return
        node = any(i.name == "Node" for i in gtype.interfaces)
        computed[gtype.name] = {
            name
            for name, f in gtype.fields.items()
            if (node and name == "id")
            or not getattr(f.extensions.get("strawberry-definition"), "base_resolver", None)
        }
        for f in gtype.fields.values():
            named = get_named_type(f.type)
            if isinstance(named, GraphQLObjectType):
                data_fields(named)

    for type_name, table in tables.items():
        embedded(type_name, table.fields)
        gtype: Any = schema.get_type(type_name)
        for name, declared in table.fields.items():
            if isinstance(declared, Many):
                connection: Any = get_named_type(gtype.fields[name].type)
                kept[connection.name] = {"edges", "pageInfo", "totalCount"}
                edge: Any = get_named_type(connection.fields["edges"].type)
                kept[edge.name] = {"cursor", "node"}
    for type_name, names in computed.items():  # a type also read from a table: both rules
        kept[type_name] = kept[type_name] & names if type_name in kept else names
    return kept


def compiled_subset(schema: GraphQLSchema, tables: dict[str, Table]) -> GraphQLSchema:
    kept = _declared(tables, schema)
    document = parse(print_schema(schema))
    definitions = []
    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            allowed = kept.get(definition.name.value)
            fields = [
                _args(f)
                for f in definition.fields or ()
                if allowed is None or f.name.value in allowed
            ]
            definition = definition.__class__(**{**_attrs(definition), "fields": tuple(fields)})
        definitions.append(definition)
    return build_ast_schema(DocumentNode(definitions=tuple(definitions)))


def _attrs(node: Any) -> dict[str, Any]:
    return {k: getattr(node, k) for k in node.keys if k != "loc"}


def _args(field: FieldDefinitionNode) -> FieldDefinitionNode:
    arguments = tuple(a for a in field.arguments or () if a.name.value in KEPT_ARGS)
    return FieldDefinitionNode(**{**_attrs(field), "arguments": arguments})


def generated_documents(schema: GraphQLSchema, count: int) -> list[str]:
    """``count`` documents of the compiled subset (hypothesis drives the generation)."""
    found: list[str] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(queries(schema, fields=["viewer"], allow_x00=False))
    def gather(document: str) -> None:
        found.append(document)

    gather()
    return found
