"""The post-pass: values computed in Python (formatted phone numbers, communes from the
reference data) filled into the JSON the database built. Only plans with such fields pay
for it (one parse and one dump of the response text; ``bench --only engine`` measures it).

Each computed value is a pure function of its row values and of the reference data, so a
plan keeps the values it projected (bounded) and reuses them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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

KEPT_VALUES = 4096  # per computed field of a plan


@dataclass(frozen=True, slots=True)
class Shape:
    """What to copy out of a plain strawberry object: (response key, attribute or None for
    __typename, the type name or the nested shape)."""

    fields: tuple[tuple[str, str | None, str | Shape | None], ...]


def shape_of(
    gtype: GraphQLObjectType, nodes: list[FieldNode], schema: GraphQLSchema, frags: Fragments
) -> Shape:
    fields: list[tuple[str, str | None, str | Shape | None]] = []
    for key, field_nodes in collect(schema, frags, gtype, sub_selections(nodes)).items():
        name = field_nodes[0].name.value
        if name == "__typename":
            fields.append((key, None, gtype.name))
            continue
        named = get_named_type(gtype.fields[name].type)
        inner = (
            shape_of(named, field_nodes, schema, frags)
            if isinstance(named, GraphQLObjectType)
            else None
        )
        fields.append((key, to_snake_case(name), inner))
    return Shape(tuple(fields))


def project(value: Any, shape: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, attribute, inner in shape.fields:
        if attribute is None:
            out[key] = inner
            continue
        found = getattr(value, attribute)
        if found is None:
            out[key] = None
        elif isinstance(inner, Shape):
            out[key] = project(found, inner)
        else:
            out[key] = found.name if isinstance(found, Enum) else found
    return out


class Filler:
    """The post-pass of one plan: its computed fields' shapes and the values they took."""

    def __init__(self, fixes: Sequence[Fix], schema: GraphQLSchema, document: Any) -> None:
        frags = fragments_of(document)
        self.fixes = [
            (fix, shape_of(fix.type, list(fix.nodes), schema, frags) if fix.type else None)
            for fix in fixes
        ]
        self.kept: list[dict[tuple[Any, ...], Any]] = [{} for _ in fixes]

    def apply(self, data: dict[str, Any], runtime: Any) -> None:
        for (fix, shape), kept in zip(self.fixes, self.kept, strict=True):
            self._walk(data, fix.path, fix, shape, kept, runtime)

    def _walk(
        self,
        at: Any,
        path: tuple[str, ...],
        fix: Fix,
        shape: Shape | None,
        kept: dict[Any, Any],
        rt: Any,
    ) -> None:
        if at is None:
            return
        head, rest = path[0], path[1:]
        if head == "*":
            for item in at:
                self._walk(item, rest, fix, shape, kept, rt)
            return
        if rest:
            self._walk(at.get(head), rest, fix, shape, kept, rt)
            return
        args = tuple(at[head])
        if shape is None:  # a scalar: cheap to compute, and its arguments may be long texts
            at[head] = fix.computed.build(rt, *args)
            return
        if args not in kept:
            if len(kept) >= KEPT_VALUES:
                kept.clear()
            found = fix.computed.build(rt, *args)
            kept[args] = None if found is None else project(found, shape)
        at[head] = kept[args]


def fragments_of(document: Any) -> Fragments:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
