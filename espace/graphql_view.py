"""The GraphQL endpoint over HTTP: Strawberry's ASGI view with our context, JSON and error
shapes, and persisted queries (``espace.persisted``). WebSockets are served by ``espace.ws``
(our own graphql-transport-ws server), event streams by ``espace.sse`` (graphql-sse)."""

from __future__ import annotations

from typing import Any, cast

import orjson
from cross_web import HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.types import QueryParams
from strawberry.types import ExecutionResult

from espace.fast_reads import fast_response
from espace.graphiql import GraphiQLPage
from espace.persisted import PersistedQueries, Refusal
from espace.responses import (
    FRENCH_REASONS,
    GRAPHQL_RESPONSE_TYPE,
    HTTP_ERROR_CODES,
    RETRY_AFTER_SECONDS,
    bearer_token,
    error_response,
    format_result,
    overloaded,
    wants_graphql_response,
)
from ground.runtime import Runtime
from resolvers.identity.cached_sessions import touched, viewer_of
from resolvers.identity.sessions import Viewer, needs_touch, touch_session
from schema.core.context import Context
from schema.core.error_codes import ApiErrorCode
from schema.core.pipeline import parse_document
from schema.core.response_size import too_large_message

# A multipart request (file uploads) is a "simple" request a cross-site form can send with
# the visitor's credentials; one of these headers forces a CORS preflight, which other
# origins fail (the GraphQL multipart request spec's advice, as Apollo's CSRF prevention).
PREFLIGHT_HEADERS = (
    "graphql-require-preflight",
    "apollo-require-preflight",
    "x-apollo-operation-name",
)
PREFLIGHT_MESSAGE = (
    "Les requêtes multipart (envoi de fichiers) doivent porter l'en-tête "
    "« GraphQL-Require-Preflight »."
)


SUBSCRIPTION_OVER_HTTP = (
    "Les abonnements (subscription) ne passent pas par une requête JSON : utilisez le "
    "WebSocket de /graphql (graphql-transport-ws) ou Server-Sent Events (POST /graphql avec "
    "l'en-tête « Accept: text/event-stream »)."
)


def operation_type(
    query: str | None, operation_name: str | None, max_tokens: int
) -> OperationType | None:
    """The type of the operation a request runs; None when the document cannot tell (the
    usual parse and validation errors then report it)."""
    if query is None:
        return None
    try:
        document = parse_document(query, max_tokens)
    except GraphQLError:
        return None
    operation = get_operation_ast(document, operation_name)
    return operation.operation if operation is not None else None


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/")


def has_preflight_header(request: Request) -> bool:
    return any(request.headers.get(name, "").strip() for name in PREFLIGHT_HEADERS)


class GraphQLView(GraphQL[Context, None]):
    """Adds the viewer to the context and answers every refusal as a JSON error with a code."""

    def __init__(self, runtime: Runtime, persisted: PersistedQueries, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime
        self.persisted = persisted  # APQ store and trusted documents (the app closes it)
        # Our offline page (assets served by the app) instead of Strawberry's CDN one.
        self.graphiql = GraphiQLPage() if runtime.settings.graphiql_enabled else None

    async def render_graphql_ide(self, request: Request) -> Response:
        assert self.graphiql is not None  # only called when graphql_ide is set
        return await self.graphiql.response(request)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope=scope, receive=receive)
        try:
            if is_multipart(request) and not has_preflight_header(request):
                response: Response = error_response(
                    400, ApiErrorCode.PREFLIGHT_REQUIRED, PREFLIGHT_MESSAGE
                )
            else:
                fast = await fast_response(self.runtime, self.schema, request, viewer_of_token)
                response = fast or await self.run(request)
        except HTTPException as exc:
            response = self.refusal(exc)
        except Refusal as exc:
            response = refusal_response(request, exc)
        except PoolTimeoutError:  # no connection came free to authenticate the token
            response = overloaded(ApiErrorCode.POOL_TIMEOUT)
        finally:
            await request.close()  # the uploaded files of a multipart request
            # Also when the request was refused before execution, or its deadline cancelled
            # it: its read session goes back.
            context = getattr(request.state, "graphql_context", None)
            if context is not None:
                await context.close()
        if getattr(request.state, "pool_timeout", False):
            response.status_code = 503
            response.headers["Retry-After"] = RETRY_AFTER_SECONDS
        elif getattr(request.state, "timed_out", False):
            response.status_code = 504
        response = self._size_guard(response)
        if wants_graphql_response(request) and response.media_type == "application/json":
            # GraphQL over HTTP: a request error (nothing executed) is a 4xx with this type.
            response.headers["content-type"] = GRAPHQL_RESPONSE_TYPE
            if response.status_code == 200 and getattr(request.state, "request_error", False):
                response.status_code = 400
        await response(scope, receive, send)

    def _size_guard(self, response: Response) -> Response:
        """No response over ESPACE_MAX_RESPONSE_BYTES leaves: it is refused instead."""
        limit = self.runtime.settings.max_response_bytes
        body = getattr(response, "body", b"")
        if limit > 0 and isinstance(body, bytes) and len(body) > limit:
            return error_response(200, ApiErrorCode.RESPONSE_TOO_LARGE, too_large_message(limit))
        return response

    @staticmethod
    def refusal(exc: HTTPException) -> Response:
        status = exc.status_code
        if "content type" in exc.reason.lower():
            status = 415
        code = HTTP_ERROR_CODES.get(status, ApiErrorCode.BAD_REQUEST)
        if "GET" in exc.reason and "mutation" in exc.reason.lower():
            status, code = 405, ApiErrorCode.MUTATION_OVER_GET
            message = "Les mutations doivent être envoyées en POST."
        else:
            message = FRENCH_REASONS.get(exc.reason, exc.reason)
        response = error_response(status, code, message)
        if status == 405:
            response.headers["Allow"] = (
                "POST" if code == ApiErrorCode.MUTATION_OVER_GET else "GET, POST"
            )
        return response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        body = format_result(result, mask=not self.runtime.settings.debug)
        errors = cast(list[dict[str, Any]], body.get("errors") or [])
        codes = {e.get("extensions", {}).get("code") for e in errors}
        request.state.pool_timeout = ApiErrorCode.POOL_TIMEOUT in codes
        request.state.timed_out = ApiErrorCode.TIMEOUT in codes  # the database gave up waiting
        if result.data is None and all("path" not in e for e in errors):
            request.state.request_error = True
            if wants_graphql_response(request):
                body.pop("data", None)  # nothing was executed: no data entry at all
        return body

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET without ``query`` may be a persisted query (hash in ``extensions``).
        params = cast(QueryParams, request.query_params)
        return params.get("extensions") is None and super().should_render_graphql_ide(request)

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await self.request_data(request)
        if isinstance(data, GraphQLRequestData):
            kind = operation_type(data.query, data.operation_name, self.runtime.settings.max_tokens)
            if kind == OperationType.SUBSCRIPTION:
                raise Refusal(400, ApiErrorCode.SUBSCRIPTION_OVER_HTTP, SUBSCRIPTION_OVER_HTTP)
        return data

    async def request_data(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request's document, variables and extensions, the document found from its
        hash for a persisted query (``espace.persisted``)."""
        data = await super().parse_http_body(request)
        if isinstance(data, list):
            return data
        query = await self.persisted.resolve(data.query, data.extensions)
        if query is data.query:
            return data
        return GraphQLRequestData(
            query=query,
            variables=data.variables,
            operation_name=data.operation_name,
            extensions=data.extensions,
            protocol=data.protocol,
        )

    def decode_json(self, data: str | bytes) -> object:
        return cast(object, orjson.loads(data))

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        context = Context(runtime=self.runtime, request=request, response=response)
        context.compiled_reads = self.runtime.settings.compiled_reads
        request.state.graphql_context = context  # closed by __call__, whatever happens
        token = bearer_token(request.headers.get("authorization"))
        if token:
            # The lookup uses the request's read session: the rest of the request reads in
            # the same transaction, so a simple query costs one connection checkout.
            context.viewer = await authenticate(self.runtime, context.read_session(), token)
        return context


def refusal_response(request: Request, exc: Refusal) -> JSONResponse:
    """The JSON error of a refused request; ``PERSISTED_QUERY_NOT_FOUND`` is a 200 for
    ``application/json`` clients (older Apollo links stop using hashes on a 400) and a 404
    under GraphQL over HTTP."""
    status = exc.status
    if status == 200 and wants_graphql_response(request):
        status = 404
    return error_response(status, exc.code, exc.message)


async def authenticate(runtime: Runtime, session: AsyncSession, token: str) -> Viewer | None:
    """The viewer of a bearer token (None when unknown, revoked or expired); moves the
    session's idle expiry on when due. A few seconds' cache (``ESPACE_SESSION_CACHE_SECONDS``)
    spares the statement; revocations and account changes drop it at once."""
    viewer = await viewer_of(runtime, session, token)
    if viewer is not None and needs_touch(viewer):
        touched(runtime, token)
        # In the background: a second connection taken while the caller still holds its
        # read session would let a burst of sign-ins exhaust the pool and wait forever.
        runtime.background(_touch(runtime, viewer))
    return viewer


async def viewer_of_token(runtime: Runtime, token: str | None) -> Viewer | None:
    """The viewer of a bearer token now, in a read session of its own."""
    if token is None:
        return None
    async with runtime.read_sessionmaker() as session:
        return await authenticate(runtime, session, token)


async def _touch(runtime: Runtime, viewer: Viewer) -> None:
    try:
        async with runtime.sessionmaker() as writer, writer.begin():
            await touch_session(writer, viewer)
    except OperationalError:
        pass  # a busy database only delays the idle-expiry bookkeeping


def create_view(runtime: Runtime, persisted: PersistedQueries) -> GraphQLView:
    from schema import build_schema

    settings = runtime.settings
    return GraphQLView(
        runtime,
        persisted,
        schema=build_schema(settings),
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        allow_queries_via_get=True,
        subscription_protocols=(),
        multipart_uploads_enabled=True,
    )
