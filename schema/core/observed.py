"""The schema class: how GraphQL errors are logged, and what a request's outcome was.

- An expected error (bad cursor, validation, limits, throttling, any error raised on
  purpose with a code) is one INFO line without a traceback; only an unexpected error (a
  bug, a driver failure) is logged at ERROR with its traceback.
- Each HTTP request's execution context is kept on the request, so that the observability
  middleware can count it by operation name and outcome once the response is sent.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.relay.types import InvalidGlobalIDError
from strawberry.types import ExecutionContext

from schema.core.pipeline import unexpected

log = logging.getLogger("espace.graphql")

GRAPHQL_STATE = "graphql_execution"
"""The key of the execution context in the ASGI scope's ``state`` (HTTP requests only)."""

MAX_LOGGED_MESSAGE = 300
# graphql-core quotes the rejected value of a variable: it may be a password.
_VALUE = re.compile(r"(got invalid value) .*", re.DOTALL)

OK, USER_ERROR, ERROR, REFUSED = "ok", "user_error", "error", "refused"


class EspaceSchema(strawberry.Schema):
    """Strawberry's schema with our error logging and per-request bookkeeping."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        operation = _operation_name(execution_context)
        for error in errors:
            if unexpected(error):
                log.error(
                    "graphql: unexpected error",
                    exc_info=error.original_error,
                    extra={"operation": operation, "gql_path": _path(error)},
                )
                continue
            log.info(
                "graphql: client error",
                extra={
                    "operation": operation,
                    "code": code_of(error),
                    "gql_path": _path(error),
                    "error": _VALUE.sub(r"\1 …", error.message)[:MAX_LOGGED_MESSAGE],
                },
            )

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        request = getattr(execution_context.context, "request", None)
        if request is not None and request.scope.get("type") == "http":
            setattr(request.state, GRAPHQL_STATE, execution_context)
        return super().create_extensions_runner(execution_context, extensions)


def outcome_of(execution: ExecutionContext | None, status: int) -> tuple[str | None, str]:
    """The operation name and outcome of one HTTP GraphQL request: ``ok``, ``user_error``
    (an expected error, or ``userErrors`` in a payload), ``refused`` (nothing executed:
    parse, validation, limits, 4xx) or ``error`` (an unexpected error, or a 5xx)."""
    operation = _operation_name(execution)
    if status >= 500 and status != 503:
        return operation, ERROR
    result = execution.result if execution is not None else None
    if result is None:
        return operation, REFUSED if status >= 400 else ERROR
    errors = result.errors or []
    if not errors:
        return operation, USER_ERROR if _has_user_errors(result.data) else OK
    for error in errors:
        if unexpected(error) or code_of(error) == "INTERNAL_SERVER_ERROR":
            return operation, ERROR
    if result.data is None and all(e.path is None for e in errors):
        return operation, REFUSED
    return operation, USER_ERROR


def _has_user_errors(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    return any(isinstance(v, dict) and v.get("userErrors") for v in data.values())


def _operation_name(execution: ExecutionContext | None) -> str | None:
    if execution is None:
        return None
    try:
        return execution.operation_name
    except Exception:  # an unparsable document has no operation
        return None


def _path(error: GraphQLError) -> str | None:
    return ".".join(str(p) for p in error.path) if error.path else None


def code_of(error: GraphQLError) -> str:
    """The ``extensions.code`` the client gets for this error (as espace.graphql_view
    completes the codes of graphql-core's own errors)."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if isinstance(error.original_error, InvalidGlobalIDError):
        return "INVALID_ID"
    message = error.message
    if message.startswith("Syntax Error"):
        return "TOO_MANY_TOKENS" if "tokens" in message else "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED" if error.path is None else "INTERNAL_SERVER_ERROR"
