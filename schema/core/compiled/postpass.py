"""The post-pass: values computed in Python (formatted phone numbers, communes from the
reference data) filled into the JSON the database built. Only plans with such fields pay
for it (one parse and one dump of the response text, measured by ``bench --only engine``).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)
from strawberry.utils.str_converters import to_snake_case

from schema.core.compiled.collect import Fragments, collect, sub_selections
from schema.core.compiled.compiler import Fix


def apply(
    data: dict[str, Any],
    fixes: Sequence[Fix],
    schema: GraphQLSchema,
    fragments: Fragments,
    runtime: Any,
) -> None:
    """Replace each computed field's row values by its value, projected on its selection."""
    for fix in fixes:
        _walk(data, fix.path, fix, schema, fragments, runtime)


def _walk(
    at: Any, path: tuple[str, ...], fix: Fix, schema: GraphQLSchema, frags: Fragments, rt: Any
) -> None:
    if at is None:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in at:
            _walk(item, rest, fix, schema, frags, rt)
        return
    if not rest:
        args = at[head]
        found = fix.computed.build(rt, *args)
        at[head] = (
            None if found is None else project(found, fix.type, list(fix.nodes), schema, frags)
        )
        return
    _walk(at.get(head), rest, fix, schema, frags, rt)


def project(
    value: Any,
    gtype: GraphQLObjectType,
    nodes: list[FieldNode],
    schema: GraphQLSchema,
    fragments: Fragments,
) -> dict[str, Any]:
    """A plain strawberry object (data fields only) as the selection asks for it."""
    out: dict[str, Any] = {}
    for key, field_nodes in collect(schema, fragments, gtype, sub_selections(nodes)).items():
        name = field_nodes[0].name.value
        if name == "__typename":
            out[key] = gtype.name
            continue
        found = getattr(value, to_snake_case(name))
        named = get_named_type(gtype.fields[name].type)
        if found is None:
            out[key] = None
        elif isinstance(named, GraphQLObjectType):
            out[key] = project(found, named, field_nodes, schema, fragments)
        else:
            out[key] = found.name if isinstance(found, Enum) else found
    return out


def fragments_of(document: Any) -> Fragments:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
