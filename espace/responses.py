"""What /graphql answers besides results: JSON errors with their stable codes and French
reasons, result formatting, the bearer token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.relay.types import InvalidGlobalIDError
from strawberry.types import ExecutionResult

from schema.core.error_codes import ApiErrorCode
from schema.core.pipeline import masked, unexpected

HTTP_ERROR_CODES = {
    400: ApiErrorCode.BAD_REQUEST,
    404: ApiErrorCode.NOT_FOUND,
    405: ApiErrorCode.METHOD_NOT_ALLOWED,
    413: ApiErrorCode.PAYLOAD_TOO_LARGE,
    415: ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
}

FRENCH_REASONS = {
    "Unable to parse request body as JSON": "Le corps de la requête n'est pas du JSON valide.",
    "Unsupported content type": "Type de contenu non pris en charge : utilisez application/json.",
    "No GraphQL query found in the request": "Aucune requête GraphQL dans la demande.",
}


OVERLOADED_MESSAGE = "Le service est surchargé : réessayez dans un instant."
RETRY_AFTER_SECONDS = "1"


def overloaded(code: ApiErrorCode = ApiErrorCode.OVERLOADED) -> Response:
    """503 with Retry-After: the client may retry in a moment (OVERLOADED, POOL_TIMEOUT)."""
    response = error_response(503, code, OVERLOADED_MESSAGE)
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def error_response(status: int, code: ApiErrorCode, message: str) -> JSONResponse:
    """A request refused before execution, as a GraphQL error body with its stable code."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code.value}}]},
        status_code=status,
    )


def error_code(error: Mapping[str, Any], before_execution: bool) -> ApiErrorCode:
    """A stable code for errors raised by graphql-core itself (they come without one)."""
    message = str(error.get("message", ""))
    if message.startswith("Syntax Error"):
        if "tokens" in message:
            return ApiErrorCode.TOO_MANY_TOKENS
        return ApiErrorCode.GRAPHQL_PARSE_FAILED
    if message.startswith("Variable '$"):
        return ApiErrorCode.BAD_USER_INPUT
    if before_execution and "path" not in error:
        return ApiErrorCode.GRAPHQL_VALIDATION_FAILED
    return ApiErrorCode.INTERNAL_SERVER_ERROR


def format_result(result: ExecutionResult, mask: bool = True) -> GraphQLHTTPResponse:
    """The response body of a result, each error with a stable ``extensions.code``.

    With ``mask`` (debug off), every unexpected error is masked here too: an exception that
    escapes execution (Strawberry turns it into a bare error, with no path) must not reach
    the client verbatim under a validation code."""
    if mask and result.errors:
        result.errors = [
            e
            if isinstance(e.original_error, InvalidGlobalIDError) or not unexpected(e)
            else masked(e)
            for e in result.errors
        ]
    response = process_result(result)
    errors = cast(list[dict[str, Any]], response.get("errors") or [])
    for raw, error in zip(result.errors or [], errors, strict=True):
        extensions = error.setdefault("extensions", {})
        if isinstance(raw.original_error, InvalidGlobalIDError):
            error["message"] = "Identifiant global (ID) invalide."
            extensions["code"] = ApiErrorCode.INVALID_ID.value
        extensions.setdefault("code", error_code(error, result.data is None).value)
    return response


GRAPHQL_RESPONSE_TYPE = "application/graphql-response+json; charset=utf-8"


def wants_graphql_response(request: Request) -> bool:
    """The client accepts ``application/graphql-response+json`` (GraphQL over HTTP)."""
    return "application/graphql-response+json" in request.headers.get("accept", "")


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
