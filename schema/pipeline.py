"""One schema extension for the whole request pipeline.

Strawberry runs every extension's hooks on every request, so the cached parse (with the
token limit), the cached validation (with our document limits), the error masking and
the closing of the request's read session live in one extension.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, GraphQLError, parse, validate
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

INTERNAL_MESSAGE = "Erreur interne du serveur."
CACHE_SIZE = 1000

CostCheck = Callable[[Any, Any, str | None, Mapping[str, Any] | None], list[GraphQLError]]
"""schema.cost.cost_check: the document's cost with the request's variables."""


@lru_cache(maxsize=CACHE_SIZE)
def _parse(query: str, max_tokens: int) -> Any:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHE_SIZE)
def _validate(
    schema: Any, document: Any, rules: tuple[type[ASTValidationRule], ...], hide: bool
) -> Any:
    # Strawberry's validate_document, with graphql-core's hide_suggestions.
    every = (*rules, MaybeNullValidationRule, OneOfInputValidationRule)
    return validate(schema, document, every, hide_suggestions=hide)


def without_suggestions(error: GraphQLError) -> GraphQLError:
    """The error without a « Did you mean … » (raised while coercing variables, say)."""
    head, found, _ = error.message.partition(" Did you mean")
    if found:
        error.message = head.strip()
    return error


POOL_TIMEOUT_MESSAGE = "Le service est surchargé : réessayez dans un instant."
"""The same words as espace.graphql_view's 503 OVERLOADED (schema/ cannot import espace/)."""
TIMEOUT_MESSAGE = "La requête a dépassé le temps maximal de traitement et a été interrompue."
POSTGRES_QUERY_CANCELED = "57014"  # statement_timeout


def bound_reached(error: GraphQLError) -> tuple[str, str] | None:
    """The code and message of an error that is a bound, not a bug: no pooled connection
    came free (POOL_TIMEOUT, a 503), or the database gave up waiting (TIMEOUT, a 504:
    PostgreSQL's statement_timeout, SQLite's busy timeout)."""
    original = error.original_error
    if isinstance(original, PoolTimeoutError):
        return "POOL_TIMEOUT", POOL_TIMEOUT_MESSAGE
    if isinstance(original, DBAPIError):
        driver = original.orig
        code = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)
        if code == POSTGRES_QUERY_CANCELED or "database is locked" in str(driver):
            return "TIMEOUT", TIMEOUT_MESSAGE
    return None


def as_bound(error: GraphQLError) -> GraphQLError:
    found = bound_reached(error)
    if found is None:
        return error
    code, message = found
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions={"code": code})


def unexpected(error: GraphQLError) -> bool:
    """Bugs are masked; errors raised on purpose keep their message and code."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def pipeline(
    rules: list[type[ASTValidationRule]],
    max_tokens: int,
    mask_errors: bool,
    hide_suggestions: bool = False,
    cost: CostCheck | None = None,
) -> type[SchemaExtension]:
    """Build the extension class for one schema's limits (the rules are built once)."""
    extra = tuple(rules)

    class RequestPipeline(SchemaExtension):
        async def on_operation(self) -> AsyncIterator[None]:
            context = self.execution_context
            context.validation_rules = context.validation_rules + extra
            yield
            result = context.result
            errors = getattr(result, "errors", None)
            if result is not None and errors:
                # The view answers 503 (POOL_TIMEOUT) or 504 (TIMEOUT): espace.graphql_view.
                result.errors = errors = [as_bound(e) for e in errors]
            if result is not None and errors and mask_errors:
                result.errors = [
                    GraphQLError(
                        INTERNAL_MESSAGE,
                        nodes=e.nodes,
                        path=e.path,
                        extensions={"code": "INTERNAL_SERVER_ERROR"},
                    )
                    if unexpected(e)
                    else e
                    for e in errors
                ]
            if result is not None and result.errors and hide_suggestions:
                result.errors = [without_suggestions(e) for e in result.errors]
            closer = getattr(context.context, "close", None)
            if closer is not None:
                await closer()

        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            if context.query:
                context.graphql_document = _parse(context.query, max_tokens)
            yield

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            context.pre_execution_errors = _validate(
                context.schema._schema,
                context.graphql_document,
                context.validation_rules,
                hide_suggestions,
            )
            if cost is not None and not context.pre_execution_errors:
                document = context.graphql_document
                assert document is not None
                context.pre_execution_errors = cost(
                    context.schema._schema, document, context.operation_name, context.variables
                )
            yield

    return RequestPipeline
