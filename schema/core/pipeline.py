"""One schema extension for the whole request pipeline.

Strawberry runs every extension's hooks on every request, so the cached parse (with the
token limit), the cached validation (with our document limits), the error masking and
the closing of the request's read session live in one extension.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, GraphQLError, parse, validate
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from schema.core.cost import SameDocument
from schema.core.error_codes import ApiErrorCode
from schema.core.input_text import nul_error
from schema.core.response_size import too_large

log = logging.getLogger(__name__)

INTERNAL_MESSAGE = "Erreur interne du serveur."
CACHE_SIZE = 1000

CostCheck = Callable[[Any, Any, str | None, Mapping[str, Any] | None], list[GraphQLError]]
"""schema.core.cost.cost_check: the document's cost with the request's variables."""


@lru_cache(maxsize=CACHE_SIZE)
def _parse(query: str, max_tokens: int) -> Any:
    return parse(query, max_tokens=max_tokens)


def _validate(
    schema: Any, document: Any, rules: tuple[type[ASTValidationRule], ...], hide: bool
) -> Any:
    return _validated(schema, SameDocument(document), rules, hide)


@lru_cache(maxsize=CACHE_SIZE)
def _validated(
    schema: Any, key: SameDocument, rules: tuple[type[ASTValidationRule], ...], hide: bool
) -> Any:
    # Strawberry's validate_document, with graphql-core's hide_suggestions. Keyed by the
    # parsed document itself (parses are cached by text): an equal tree's hash would walk
    # the whole document on every request.
    every = (*rules, MaybeNullValidationRule, OneOfInputValidationRule)
    return validate(schema, key.document, every, hide_suggestions=hide)


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


def bound_reached(error: GraphQLError) -> tuple[ApiErrorCode, str] | None:
    """The code and message of an error that is a bound, not a bug: no pooled connection
    came free (POOL_TIMEOUT, a 503), or the database gave up waiting (TIMEOUT, a 504:
    PostgreSQL's statement_timeout, SQLite's busy timeout)."""
    original = error.original_error
    if isinstance(original, PoolTimeoutError):
        return ApiErrorCode.POOL_TIMEOUT, POOL_TIMEOUT_MESSAGE
    if isinstance(original, DBAPIError):
        driver = original.orig
        code = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)
        if code == POSTGRES_QUERY_CANCELED or "database is locked" in str(driver):
            return ApiErrorCode.TIMEOUT, TIMEOUT_MESSAGE
    return None


def as_bound(error: GraphQLError) -> GraphQLError:
    found = bound_reached(error)
    if found is None:
        return error
    code, message = found
    return GraphQLError(
        message, nodes=error.nodes, path=error.path, extensions={"code": code.value}
    )


def unexpected(error: GraphQLError) -> bool:
    """Bugs are masked; errors raised on purpose keep their message and code."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def masked(error: GraphQLError) -> GraphQLError:
    """The error a client sees for a bug: a French message and a code, nothing of the bug."""
    return GraphQLError(
        INTERNAL_MESSAGE,
        nodes=error.nodes,
        path=error.path,
        extensions={"code": ApiErrorCode.INTERNAL_SERVER_ERROR.value},
    )


def mask_unexpected(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Every unexpected error masked; errors raised on purpose kept as they are."""
    return [masked(e) if unexpected(e) else e for e in errors]


async def close_context(context: object) -> None:
    """Close the request's unit of work; a failure there is logged, never sent to a client."""
    closer = getattr(context, "close", None)
    if closer is None:
        return
    try:
        await closer()
    except Exception:
        log.exception("closing the request's read session failed")


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
                result.errors = mask_unexpected(errors)
            if result is not None and result.errors and hide_suggestions:
                result.errors = [without_suggestions(e) for e in result.errors]
            refused = [e for e in (result.errors or [])] if result is not None else []
            refused = [e for e in refused if too_large(e)]
            if result is not None and refused:
                # Built no further than the bound (schema.core.response_size): refused whole.
                result.data = None
                result.errors = [GraphQLError(refused[0].message, extensions=refused[0].extensions)]
            await close_context(context.context)

        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            if context.query:
                context.graphql_document = _parse(context.query, max_tokens)
            yield

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            errors = _validate(
                context.schema._schema,
                context.graphql_document,
                context.validation_rules,
                hide_suggestions,
            )
            document = context.graphql_document
            if not errors and document is not None:
                refused = nul_error(document, context.variables)
                errors = [refused] if refused is not None else errors
            if cost is not None and not errors:
                assert document is not None
                errors = cost(
                    context.schema._schema, document, context.operation_name, context.variables
                )
            context.pre_execution_errors = errors
            yield

    return RequestPipeline


def parse_document(query: str, max_tokens: int) -> Any:
    """Parse with the token limit, through the same cache as the request pipeline."""
    return _parse(query, max_tokens)
