"""The per-request cost check: the operation that will run, measured with the request's
variables (a page size given by a variable counts its value, which validation alone cannot
know), and cached by parsed document, operation and the values of its page-size variables."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)

from schema.core.error_codes import ApiErrorCode
from schema.core.limits import PAGE_ARGUMENTS, fragments_of, measure_operation


def too_costly(cost: int, max_cost: int) -> str:
    return (
        f"La requête est trop coûteuse ({_short(cost)}, maximum {max_cost}) : "
        "réduisez les pages demandées ou les champs imbriqués."
    )


CACHE_SIZE = 1000


class SameDocument:
    """A cache key for a parsed document: the same object (parses are cached by text), not
    an equal tree, whose hash would walk the whole document on every request."""

    __slots__ = ("document",)

    def __init__(self, document: DocumentNode) -> None:
        self.document = document

    def __hash__(self) -> int:
        return id(self.document)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SameDocument) and other.document is self.document


def cost_check(
    max_cost: int, max_page: int
) -> Callable[
    [GraphQLSchema, DocumentNode, str | None, Mapping[str, Any] | None], list[GraphQLError]
]:
    """The per-request cost check: the operation that will run, with the request's variables
    (a page size from a variable counts its value; validation alone cannot know it). Costs
    are cached by document, operation and the values of the page-size variables."""

    @lru_cache(maxsize=CACHE_SIZE)
    def operation_of(
        key: SameDocument, operation_name: str | None
    ) -> tuple[OperationDefinitionNode | None, tuple[str, ...]]:
        document = key.document
        operations = [
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
            and (operation_name is None or (d.name and d.name.value == operation_name))
        ]
        if len(operations) != 1:
            return None, ()  # graphql-core reports a missing or ambiguous operation itself
        return operations[0], _page_variables(document)

    @lru_cache(maxsize=CACHE_SIZE)
    def cost_of(
        schema: GraphQLSchema,
        key: SameDocument,
        operation_name: str | None,
        pages: tuple[tuple[str, int | None], ...],
    ) -> int:
        operation, _ = operation_of(key, operation_name)
        assert operation is not None
        variables = {name: value for name, value in pages if value is not None}
        fragments = fragments_of(key.document)
        return measure_operation(schema, operation, fragments, max_page, variables)[0].cost

    def check(
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> list[GraphQLError]:
        key = SameDocument(document)
        operation, names = operation_of(key, operation_name)
        if operation is None:
            return []
        given = variables or {}
        pages = tuple((name, _as_page(given.get(name))) for name in names)
        cost = cost_of(schema, key, operation_name, pages)
        if cost <= max_cost:
            return []
        message = too_costly(cost, max_cost)
        return [
            GraphQLError(
                message, operation, extensions={"code": ApiErrorCode.QUERY_TOO_COSTLY.value}
            )
        ]

    return check


def _as_page(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _page_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables a document passes as ``first``/``last`` (the only ones its cost reads)."""
    names: set[str] = set()

    class Collect(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            if node.name.value in PAGE_ARGUMENTS and isinstance(node.value, VariableNode):
                names.add(node.value.name.value)

    visit(document, Collect())
    return tuple(sorted(names))


def _short(cost: int) -> str:
    # A fragment bomb's cost has dozens of digits: say it is huge rather than print them.
    return str(cost) if cost < 10**12 else "plus de mille milliards"
