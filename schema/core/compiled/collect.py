"""The fields a selection set asks for on one object type, merged by response key as
graphql-core does; anything the compiler does not handle raises ``NotCompilable``."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
)


class NotCompilable(Exception):
    """The document needs the interpreter (a field, argument or construct not declared)."""


Fragments = Mapping[str, FragmentDefinitionNode]
Collected = dict[str, list[FieldNode]]


def _applies(schema: GraphQLSchema, condition: str | None, on: GraphQLObjectType) -> bool:
    if condition is None or condition == on.name:
        return True
    abstract = schema.get_type(condition)
    return any(i.name == condition for i in on.interfaces) if abstract is not None else False


def collect(
    schema: GraphQLSchema,
    fragments: Fragments,
    on: GraphQLObjectType,
    selection_sets: list[SelectionSetNode],
    found: Collected | None = None,
) -> Collected:
    """Response key -> the field nodes under it, in document order."""
    found = {} if found is None else found
    for selection_set in selection_sets:
        for selection in selection_set.selections:
            if selection.directives:
                raise NotCompilable("directive")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                found.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if _applies(schema, condition.name.value if condition else None, on):
                    collect(schema, fragments, on, [selection.selection_set], found)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                if fragment.directives:
                    raise NotCompilable("directive")
                if _applies(schema, fragment.type_condition.name.value, on):
                    collect(schema, fragments, on, [fragment.selection_set], found)
    return found


def sub_selections(nodes: list[FieldNode]) -> list[SelectionSetNode]:
    return [n.selection_set for n in nodes if n.selection_set is not None]
