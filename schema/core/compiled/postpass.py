"""The post-pass: values computed in Python (formatted phone numbers, communes from the
reference data) filled into the JSON the database built. Only plans with such fields pay
for it (one parse and one dump of the response text; ``bench --only engine`` measures it).

Each computed value is a pure function of its row values and of the reference data, so a
plan keeps the values it projected (bounded) and reuses them, unless declared without
``cache`` (the dashboard's file: its values hold the instant they were read at).

A computed value is a plain strawberry object (or a list of them): the post-pass copies its
data fields, writes a node's ``id`` as its global ID and scalars as their GraphQL type does;
a selection reaching a field with a resolver (it may need ``info``) is not compiled."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)
from strawberry import relay
from strawberry.utils.str_converters import to_snake_case

from schema.core.compiled.collect import Fragments, NotCompilable, collect, sub_selections
from schema.core.compiled.compiler import Fix

KEPT_VALUES = 4096  # per computed field of a plan


@dataclass(frozen=True, slots=True)
class GlobalId:
    """A Relay node's ``id``: its ``id`` attribute as ``base64("<Type>:<id>")``."""

    type_name: str


@dataclass(frozen=True, slots=True)
class Shape:
    """What to copy out of a plain strawberry object: (response key, attribute or None for
    __typename, the type name, the nested shape, a node's id, or a scalar's serializer)."""

    fields: tuple[tuple[str, str | None, Inner], ...]


Inner = str | Shape | GlobalId | Callable[[Any], Any] | None


def shape_of(
    gtype: GraphQLObjectType, nodes: list[FieldNode], schema: GraphQLSchema, frags: Fragments
) -> Shape:
    """Raises ``NotCompilable`` for a field with a resolver (it may need ``info``)."""
    fields: list[tuple[str, str | None, Inner]] = []
    node = any(i.name == "Node" for i in gtype.interfaces)
    for key, field_nodes in collect(schema, frags, gtype, sub_selections(nodes)).items():
        name = field_nodes[0].name.value
        if name == "__typename":
            fields.append((key, None, gtype.name))
            continue
        gfield = gtype.fields[name]
        if node and name == "id":
            fields.append((key, "id", GlobalId(gtype.name)))
            continue
        if getattr(gfield.extensions.get("strawberry-definition"), "base_resolver", None):
            raise NotCompilable(f"{gtype.name}.{name} (resolver)")
        named = get_named_type(gfield.type)
        inner: Inner = None
        if isinstance(named, GraphQLObjectType):
            inner = shape_of(named, field_nodes, schema, frags)
        elif isinstance(named, GraphQLScalarType):
            inner = named.serialize
        fields.append((key, to_snake_case(name), inner))
    return Shape(tuple(fields))


def project(value: Any, shape: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, attribute, inner in shape.fields:
        if attribute is None:
            out[key] = inner
            continue
        out[key] = _leaf(getattr(value, attribute), inner)
    return out


def _leaf(found: Any, inner: Inner) -> Any:
    if found is None:
        return None
    if isinstance(found, list):
        return [_leaf(item, inner) for item in found]
    if isinstance(inner, Shape):
        return project(found, inner)
    if isinstance(inner, GlobalId):
        return relay.to_base64(inner.type_name, found)
    if isinstance(found, Enum):
        return found.name
    return inner(found) if callable(inner) else found


class Filler:
    """The post-pass of one plan: its computed fields' shapes and the values they took."""

    def __init__(self, fixes: Sequence[Fix], schema: GraphQLSchema, document: Any) -> None:
        frags = fragments_of(document)
        self.fixes = [(fix, _shape(fix, schema, frags)) for fix in fixes]
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
        if not fix.computed.cache or shape is None:
            # Built every time: an instant or JSON objects among the values, or a scalar
            # (cheap to compute, and its arguments may be long texts).
            at[head] = _leaf(fix.computed.build(rt, *args), shape)
            return
        if args not in kept:
            if len(kept) >= KEPT_VALUES:
                kept.clear()
            kept[args] = _leaf(fix.computed.build(rt, *args), shape)
        at[head] = kept[args]


def _shape(fix: Fix, schema: GraphQLSchema, frags: Fragments) -> Shape | None:
    """What to copy out of an object field's value; None for a scalar field."""
    if not isinstance(fix.type, GraphQLObjectType):
        return None
    return shape_of(fix.type, list(fix.nodes), schema, frags)


def fragments_of(document: Any) -> Fragments:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
