"""A connection's paging arguments, literal or variable, and their bound values: the same
window as the interpreter's (``schema.core.paging.checked_window``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    GraphQLError,
    IntValueNode,
    NullValueNode,
    StringValueNode,
    VariableNode,
)

from schema.core.compiled.collect import NotCompilable
from schema.core.paging import checked_window

PAGE_ARGS = ("first", "after", "last", "before")


@dataclass(frozen=True, slots=True)
class PageArgs:
    """A connection's paging arguments: name -> (variable name, or None and a literal)."""

    prefix: str
    given: Mapping[str, tuple[str | None, Any]]
    filters: tuple[str, ...] = ()

    def value(self, name: str, variables: Mapping[str, Any]) -> Any:
        variable, literal_value = self.given.get(name, (None, None))
        return variables.get(variable) if variable is not None else literal_value

    def params(self, variables: Mapping[str, Any], max_page_size: int) -> dict[str, Any] | None:
        """The bound values of this page; None when the interpreter must answer (a bad
        argument, whose error it reports, or a backward page)."""
        first, after, last, before = (
            self.value(n, variables) for n in ("first", "after", "last", "before")
        )
        try:
            window = checked_window(max_page_size, first, after, last, before)
        except GraphQLError:
            return None
        if not window.forward_only:
            return None
        p = self.prefix
        found: dict[str, Any] = {
            f"{p}_after": window.after,
            f"{p}_limit": window.limit,
            f"{p}_more": window.limit + 1,
            f"{p}_prev": window.after is not None,
        }
        for name in self.filters:
            variable, literal_value = self.given.get(name, (None, False))
            value = variables.get(variable, False) if variable is not None else literal_value
            if not isinstance(value, bool):
                return None  # null for a Boolean!: the interpreter reports it
            found[f"{p}_{name}"] = value
        return found


def page_args(prefix: str, node: FieldNode, filters: tuple[str, ...] = ()) -> PageArgs:
    """The paging and filter arguments of a connection field, literal or variable."""
    given: dict[str, tuple[str | None, Any]] = {}
    for argument in node.arguments or ():
        name = argument.name.value
        if name not in PAGE_ARGS and name not in filters:
            raise NotCompilable(f"argument {name}")
        value = argument.value
        if isinstance(value, VariableNode):
            given[name] = (value.name.value, None)
        elif isinstance(value, IntValueNode):
            given[name] = (None, int(value.value))
        elif isinstance(value, (StringValueNode, BooleanValueNode)):
            given[name] = (None, value.value)
        elif isinstance(value, NullValueNode):
            given[name] = (None, None)
        else:
            raise NotCompilable(f"argument {name}")
    return PageArgs(prefix, given, filters)
