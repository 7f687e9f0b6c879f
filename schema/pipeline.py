"""One schema extension for the whole request pipeline.

Strawberry runs every extension's hooks on every request, so the cached parse (with the
token limit), the cached validation (with our document limits), the error masking and
the closing of the request's read session live in one extension.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from schema.error_codes import ApiErrorCode
from schema.input_text import nul_error

log = logging.getLogger(__name__)

INTERNAL_MESSAGE = "Erreur interne du serveur."
CACHE_SIZE = 1000


@lru_cache(maxsize=CACHE_SIZE)
def _parse(query: str, max_tokens: int) -> Any:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHE_SIZE)
def _validate(schema: Any, document: Any, rules: tuple[type[ASTValidationRule], ...]) -> Any:
    return validate_document(schema, document, rules)


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
    rules: list[type[ASTValidationRule]], max_tokens: int, mask_errors: bool
) -> type[SchemaExtension]:
    """Build the extension class for one schema's limits (the rules are built once)."""
    extra = tuple(rules)

    class RequestPipeline(SchemaExtension):
        async def on_operation(self) -> AsyncIterator[None]:
            context = self.execution_context
            context.validation_rules = context.validation_rules + extra
            yield
            result = context.result
            errors = getattr(result, "errors", None) if mask_errors else None
            if result is not None and errors:
                result.errors = mask_unexpected(errors)
            await close_context(context.context)

        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            if context.query:
                context.graphql_document = _parse(context.query, max_tokens)
            yield

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            errors = _validate(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
            if not errors and context.graphql_document is not None:
                refused = nul_error(context.graphql_document, context.variables)
                errors = [refused] if refused is not None else errors
            context.pre_execution_errors = errors
            yield

    return RequestPipeline


def parse_document(query: str, max_tokens: int) -> Any:
    """Parse with the token limit, through the same cache as the request pipeline."""
    return _parse(query, max_tokens)
