"""GraphQL over Server-Sent Events: the graphql-sse protocol, "distinct connections" mode.

https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md. A ``POST /graphql`` (or
``GET`` with the usual query parameters) whose ``Accept`` asks for ``text/event-stream``
opens one stream for one operation; ``next`` events carry execution results and a
``complete`` event ends it. Closing the response is how the client stops a subscription.

The stream is a peer of the WebSocket hub (``espace.ws.peer``): the same authentication
(``Authorization: Bearer …``), the same operations (replay from a cursor, fan-out groups,
limits), and the same ends: a revoked or expired session, found by the broker or by the
periodic re-check, ends the stream with an ``UNAUTHENTICATED`` error, as it closes a
socket with 4403. The hub's heartbeat sends a comment line, which keeps proxies from
closing an idle stream.

Requests refused before a stream opens (no token, a bad body, a mutation over GET, an
unknown persisted query) answer a JSON error with its code, as the rest of ``/graphql``;
parse and validation errors come as a ``next`` event then ``complete``, as the protocol
asks.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import orjson
from cross_web import HTTPException
from graphql import OperationType
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.http import GraphQLRequestData

from espace.graphql_view import GraphQLView, operation_type, refusal_response, viewer_of_token
from espace.persisted import Refusal
from espace.responses import bearer_token, error_response
from espace.ws import operations
from espace.ws.connection import INTERNAL, MAX_BACKLOG
from espace.ws.protocol import FORBIDDEN, Subscribe
from resolvers.identity.sessions import Viewer
from schema.core.error_codes import ApiErrorCode

if TYPE_CHECKING:
    from espace.ws.groups import Member
    from espace.ws.peer import Hub

log = logging.getLogger(__name__)

# Servers stop accepting, then wait this long for open streams before cancelling them.
SHUTDOWN_GRACE_SECONDS = 5
OPERATION_ID = "sse"  # one operation per stream in this mode
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-transform"),
    (b"x-accel-buffering", b"no"),  # nginx: flush each event
]
NEXT = "event: next\ndata: "
# With an empty data field: EventSource does not dispatch an event that has none.
COMPLETE = "event: complete\ndata: \n\n"
KEEPALIVE = ": ping\n\n"
SESSION_ENDED = {
    "message": "Votre session a pris fin : reconnectez-vous.",
    "extensions": {"code": "UNAUTHENTICATED"},
}
UNAUTHENTICATED = (
    "Vous devez être connecté(e) : envoyez l'en-tête « Authorization: Bearer <jeton> »."
)


def wants_event_stream(scope: Scope) -> bool:
    """``Accept`` lists ``text/event-stream`` and no JSON type (JSON clients keep JSON)."""
    accept = ""
    for name, value in scope.get("headers", ()):
        if name == b"accept":
            accept = value.decode("latin-1").lower()
    types = {part.split(";", 1)[0].strip() for part in accept.split(",")}
    json_types = {"application/json", "application/graphql-response+json"}
    return "text/event-stream" in types and not types & json_types


class EventStream:
    """One graphql-sse stream: a ``Peer`` of the hub whose frames are SSE events."""

    def __init__(self, hub: Hub, request: Request, token: str, viewer: Viewer) -> None:
        self.hub = hub
        self._request = request
        self.token = token
        self.viewer: Viewer | None = viewer
        self.ops: dict[str, Member | asyncio.Task[None]] = {}
        self.closed = False
        # What waits to be written; None ends the response.
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()

    def request(self) -> Request:
        return self._request

    async def current_viewer(self) -> Viewer | None:
        return await viewer_of_token(self.hub.runtime, self.token)

    def _put(self, text: str) -> None:
        if self.closed:
            return
        if self.queue.qsize() >= MAX_BACKLOG:  # a reader this slow is dropped, as a socket
            while not self.queue.empty():
                self.queue.get_nowait()
            self.end()
            return
        self.queue.put_nowait(text)

    def next_prefix(self, op_id: str) -> str:
        return NEXT

    def send_next(self, prefix: str, payload: str) -> None:
        self._put(prefix + payload + "\n\n")

    def send_error(self, op_id: str, errors: list[dict[str, Any]]) -> None:
        self.send_next(NEXT, orjson.dumps({"errors": errors}).decode())
        self.send_complete(op_id)

    def send_complete(self, op_id: str) -> None:
        self._put(COMPLETE)
        self.end()

    def keepalive(self) -> None:
        self._put(KEEPALIVE)

    def close(self, code: int, reason: str) -> None:
        if code == FORBIDDEN:  # the session ended: say so, then end the stream
            self.send_error(OPERATION_ID, [SESSION_ENDED])
        self.end()

    def end(self) -> None:
        """Write what is queued, then end the response; the operation stops."""
        if self.closed:
            return
        self.closed = True
        self.queue.put_nowait(None)
        self.hub.forget(self)

    def stop(self, op_id: str) -> None:
        op = self.ops.pop(op_id, None)
        if isinstance(op, asyncio.Task):
            op.cancel()
        elif op is not None:
            self.hub.leave(op)


class EventStreams:
    """The HTTP side of ``/graphql``: graphql-sse streams for clients that accept
    ``text/event-stream``, the GraphQL view for every other request."""

    def __init__(self, view: GraphQLView, hub: Hub) -> None:
        self.view = view
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not wants_event_stream(scope):
            await self.view(scope, receive, send)
            return
        request = Request(scope, receive)
        opened = await self._open(request)
        if not isinstance(opened, Subscribe):
            await opened(scope, receive, send)
            return
        token = bearer_token(request.headers.get("authorization"))
        viewer = await viewer_of_token(self.hub.runtime, token)
        if token is None or viewer is None:
            refusal = error_response(401, ApiErrorCode.UNAUTHENTICATED, UNAUTHENTICATED)
            refusal.headers["WWW-Authenticate"] = "Bearer"
            await refusal(scope, receive, send)
            return
        stream = EventStream(self.hub, request, token, viewer)
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        loop = asyncio.get_running_loop()
        # The writer runs from now on: a long replay is written while it is read.
        writer = loop.create_task(_write(stream, send))
        watcher = loop.create_task(_watch_disconnect(receive, stream))
        try:
            await self._start(stream, opened)
            await writer
        finally:
            watcher.cancel()
            writer.cancel()
            stream.end()
            # Again at the very end: an operation that joined while the stream was ending
            # (the client left during the replay) is stopped too.
            self.hub.forget(stream)

    async def _open(self, request: Request) -> Subscribe | Response:
        """The operation to stream, or the JSON refusal of the request."""
        content_type = request.headers.get("content-type", "").lower()
        if request.method == "POST" and not content_type.startswith("application/json"):
            return error_response(
                415,
                ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Type de contenu non pris en charge : utilisez application/json.",
            )
        try:
            data = await self.view.request_data(self.view.request_adapter_class(request))
        except HTTPException as exc:
            return self.view.refusal(exc)
        except Refusal as exc:
            return refusal_response(request, exc)
        if not isinstance(data, GraphQLRequestData) or data.query is None:
            return error_response(
                400, ApiErrorCode.BAD_REQUEST, "Aucune requête GraphQL dans la demande."
            )
        max_tokens = self.hub.settings.max_tokens
        kind = operation_type(data.query, data.operation_name, max_tokens)
        if kind == OperationType.MUTATION and request.method == "GET":
            response = error_response(
                405, ApiErrorCode.MUTATION_OVER_GET, "Les mutations doivent être envoyées en POST."
            )
            response.headers["Allow"] = "POST"
            return response
        return Subscribe(
            id=OPERATION_ID,
            query=data.query,
            operation_name=data.operation_name,
            variables=data.variables,
            extensions=data.extensions,
        )

    async def _start(self, stream: EventStream, message: Subscribe) -> None:
        """Register the stream with the hub (revocations reach it), then start the
        operation as a ``subscribe`` message over a socket would."""
        try:
            await self.hub.attach(stream)
            await operations.start(stream, message)
        except Exception:  # e.g. the broker or the database is unreachable
            log.exception("starting an event stream failed")
            stream.stop(OPERATION_ID)
            stream.send_error(OPERATION_ID, [INTERNAL])


async def _write(stream: EventStream, send: Send) -> None:
    """Write the stream's events in order until it ends (or the client has gone)."""
    while True:
        text = await stream.queue.get()
        if text is None:
            break
        try:
            await send({"type": "http.response.body", "body": text.encode(), "more_body": True})
        except Exception:  # the client is gone (uvicorn raises ClientDisconnected)
            return
    try:
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except Exception:
        return


async def _watch_disconnect(receive: Receive, stream: EventStream) -> None:
    """End the stream when the client closes the response (how it stops a subscription)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            stream.end()
            return
