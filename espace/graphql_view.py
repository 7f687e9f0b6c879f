"""The GraphQL endpoint: Strawberry's ASGI view with our context, JSON and error shapes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, cast

import orjson
from cross_web import HTTPException
from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.relay.types import InvalidGlobalIDError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from espace.runtime import Runtime
from resolvers.sessions import needs_touch, touch_session, viewer_for_token
from schema.context import Context

HTTP_ERROR_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}

FRENCH_REASONS = {
    "Unable to parse request body as JSON": "Le corps de la requête n'est pas du JSON valide.",
    "Unsupported content type": "Type de contenu non pris en charge : utilisez application/json.",
    "No GraphQL query found in the request": "Aucune requête GraphQL dans la demande.",
}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status
    )


def error_code(error: Mapping[str, Any], before_execution: bool) -> str:
    """A stable code for errors raised by graphql-core itself (they come without one)."""
    message = str(error.get("message", ""))
    if message.startswith("Syntax Error"):
        return "TOO_MANY_TOKENS" if "tokens" in message else "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    if before_execution and "path" not in error:
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class GraphQLView(GraphQL[Context, None]):
    """Adds the viewer to the context and answers every refusal as a JSON error with a code."""

    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            response = self._refusal(exc)
        await response(scope, receive, send)

    @staticmethod
    def _refusal(exc: HTTPException) -> Response:
        status = exc.status_code
        if "content type" in exc.reason.lower():
            status = 415
        code = HTTP_ERROR_CODES.get(status, "BAD_REQUEST")
        if "GET" in exc.reason and "mutation" in exc.reason.lower():
            status, code = 405, "MUTATION_OVER_GET"
            message = "Les mutations doivent être envoyées en POST."
        else:
            message = FRENCH_REASONS.get(exc.reason, exc.reason)
        response = error_response(status, code, message)
        if status == 405:
            response.headers["Allow"] = "POST" if code == "MUTATION_OVER_GET" else "GET, POST"
        return response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = process_result(result)
        errors = cast(list[dict[str, Any]], response.get("errors") or [])
        for raw, error in zip(result.errors or [], errors, strict=True):
            extensions = error.setdefault("extensions", {})
            if isinstance(raw.original_error, InvalidGlobalIDError):
                error["message"] = "Identifiant global (ID) invalide."
                extensions["code"] = "INVALID_ID"
            extensions.setdefault("code", error_code(error, result.data is None))
        return response

    def decode_json(self, data: str | bytes) -> object:
        return cast(object, orjson.loads(data))

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        context = Context(runtime=self.runtime, request=request, response=response)
        if isinstance(request, Request):
            token = bearer_token(request.headers.get("authorization"))
            if token:
                await self._authenticate(context, token)
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """``connection_init`` must carry ``{"authorization": "Bearer …"}``; else close 4403."""
        params = context.connection_params
        raw = params.get("authorization") if isinstance(params, dict) else None
        token = bearer_token(raw if isinstance(raw, str) else None)
        if token is not None:
            await self._authenticate(context, token)
            await context.close()  # never hold a read transaction for a connection's life
        if context.viewer is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        return None

    async def _authenticate(self, context: Context, token: str) -> None:
        # The lookup uses the request's read session: the rest of the request reads in the
        # same transaction, so a simple query costs one connection checkout.
        viewer = await viewer_for_token(context.read_session(), self.runtime.settings, token)
        if viewer is not None and needs_touch(viewer):
            try:
                async with self.runtime.sessionmaker() as session, session.begin():
                    await touch_session(session, viewer)
            except OperationalError:
                # A busy database only delays the idle-expiry bookkeeping.
                pass
        context.viewer = viewer


def create_view(runtime: Runtime) -> GraphQLView:
    from schema import build_schema

    settings = runtime.settings
    return GraphQLView(
        runtime,
        schema=build_schema(settings),
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        max_subscriptions_per_connection=settings.ws_max_subscriptions,
        connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout),
        allowed_origins=tuple(settings.allowed_origins),
    )
