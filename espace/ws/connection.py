"""One socket: the graphql-transport-ws state machine, run by the ASGI connection task.

The connection owns no task and no queue of its own. Whatever the server sends goes out
through ``push``, which never waits: the ASGI send nearly always completes at once; when
the peer is slow (back-pressure) the rest of that send and the messages after it are
finished by a task made only then, and a peer that falls too far behind is disconnected.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from espace.graphql_view import viewer_of_token
from espace.ws import operations
from espace.ws.auth import token_of
from espace.ws.protocol import (
    CONNECTION_ACK,
    FORBIDDEN,
    INIT_TIMEOUT,
    INTERNAL_ERROR,
    MESSAGE_TOO_BIG,
    PING,
    TOO_MANY_INIT,
    TRY_AGAIN_LATER,
    UNAUTHORIZED,
    ClientMessage,
    Complete,
    ConnectionInit,
    Ping,
    ProtocolError,
    Subscribe,
    close_reason,
    complete_message,
    error_message,
    next_message,
    next_prefix,
    parse_message,
    pong,
)
from resolvers.identity.sessions import Viewer
from schema.core.error_codes import ApiErrorCode

if TYPE_CHECKING:
    from espace.ws.groups import Member
    from espace.ws.peer import Hub

log = logging.getLogger(__name__)

# Messages held for a peer that does not read; past this it is disconnected.
MAX_BACKLOG = 256

INTERNAL = {
    "message": "Erreur interne du serveur.",
    "extensions": {"code": ApiErrorCode.INTERNAL_SERVER_ERROR.value},
}


class _Rest:
    """The remainder of an awaitable that was started by hand and had to wait."""

    __slots__ = ("_blocker", "_steps")

    def __init__(self, steps: Generator[Any, Any, Any], blocker: Any) -> None:
        self._steps = steps
        self._blocker = blocker

    def __await__(self) -> Generator[Any, Any, None]:
        pending = self._blocker
        while True:
            try:
                value = yield pending
            except BaseException as exc:  # cancellation goes to the send, as with `await`
                try:
                    pending = self._steps.throw(exc)
                except StopIteration:
                    return
                continue
            try:
                pending = self._steps.send(value)
            except StopIteration:
                return


class Connection:
    """The state of one socket: its viewer, its operations and its outgoing backlog."""

    __slots__ = (
        "_backlog",
        "_drain",
        "closed",
        "hub",
        "ops",
        "receive",
        "scope",
        "send",
        "token",
        "viewer",
    )

    def __init__(self, hub: Hub, scope: Scope, receive: Receive, send: Send) -> None:
        self.hub = hub
        self.scope = scope
        self.receive = receive
        self.send = send
        self.viewer: Viewer | None = None
        self.token: str | None = None
        self.ops: dict[str, Member | asyncio.Task[None]] = {}
        self.closed = False
        self._backlog: deque[str] | None = None
        self._drain: asyncio.Task[None] | None = None

    def request(self) -> WebSocket:
        """The socket as Starlette sees it, for a GraphQL context (headers, client)."""
        return WebSocket(self.scope, self.receive, self.send)

    # --- framing (the ``Peer`` interface) -------------------------------------------

    def next_prefix(self, op_id: str) -> str:
        return next_prefix(op_id)

    def send_next(self, prefix: str, payload: str) -> None:
        self.push(next_message(prefix, payload))

    def send_error(self, op_id: str, errors: list[dict[str, Any]]) -> None:
        self.push(error_message(op_id, errors))

    def send_complete(self, op_id: str) -> None:
        self.push(complete_message(op_id))

    def keepalive(self) -> None:
        self.push(PING)

    # --- sending: never waits -------------------------------------------------------

    def push(self, text: str) -> None:
        """Send a text message in order, without waiting."""
        if self.closed:
            return
        if self._backlog is not None:
            if len(self._backlog) >= MAX_BACKLOG:
                self.close(TRY_AGAIN_LATER, "Slow consumer")
                return
            self._backlog.append(text)
            return
        self._fire({"type": "websocket.send", "text": text}, keep_order=True)

    def close(self, code: int, reason: str) -> None:
        """Close the socket now (dropping what a slow peer has not read yet)."""
        if self.closed:
            return
        self.closed = True
        if self._drain is not None:
            self._drain.cancel()
        self._backlog = None
        self._fire({"type": "websocket.close", "code": code, "reason": close_reason(reason)})
        self.hub.forget(self)

    def _fire(self, message: Message, keep_order: bool = False) -> None:
        steps = self.send(message).__await__()
        try:
            blocker = steps.send(None)
        except StopIteration:
            return  # the usual case: sent without waiting
        except Exception:  # the peer is gone (uvicorn raises ClientDisconnected)
            self._lost()
            return
        if keep_order:
            self._backlog = deque()
        # The task is referenced from here until it ends (the loop keeps only weak ones).
        self._drain = asyncio.get_running_loop().create_task(self._finish(_Rest(steps, blocker)))

    async def _finish(self, rest: _Rest) -> None:
        try:
            await rest
            while self._backlog:
                text = self._backlog.popleft()
                await self.send({"type": "websocket.send", "text": text})
        except asyncio.CancelledError:
            raise
        except Exception:
            self._lost()
        finally:
            if self._drain is asyncio.current_task():
                self._drain = None
                self._backlog = None

    def _lost(self) -> None:
        self.closed = True
        self._backlog = None
        self.hub.forget(self)

    # --- receiving: the connection task ---------------------------------------------

    async def run(self) -> None:
        """Serve the socket until it closes (the caller has accepted it)."""
        try:
            init = await self._wait_for_init()
            if init is None or not await self._authenticate(init):
                return
            await self._serve()
        except ProtocolError as error:
            self.close(error.code, error.reason)
        except Exception:
            log.exception("WebSocket connection failed")
            self.close(INTERNAL_ERROR, "Internal server error")
        finally:
            self.hub.forget(self)

    async def _next(self) -> ClientMessage | None:
        """The next client message; None once the socket is closed."""
        limit = self.hub.settings.max_body_bytes
        while not self.closed:
            message = await self.receive()
            if message["type"] == "websocket.disconnect":
                self.closed = True
                return None
            data = message.get("text")
            if data is None:
                data = message.get("bytes")
            if data is None:
                continue
            if len(data) > limit:
                raise ProtocolError(MESSAGE_TOO_BIG, "Message too big")
            return parse_message(data)
        return None

    async def _wait_for_init(self) -> ConnectionInit | None:
        try:
            async with asyncio.timeout(self.hub.settings.ws_init_timeout):
                while True:
                    message = await self._next()
                    if message is None or isinstance(message, ConnectionInit):
                        return message
                    if isinstance(message, Subscribe):
                        raise ProtocolError(UNAUTHORIZED, "Unauthorized")
                    if isinstance(message, Ping):
                        self.push(pong(message.payload))
        except TimeoutError:
            raise ProtocolError(INIT_TIMEOUT, "Connection initialisation timeout") from None

    async def _authenticate(self, init: ConnectionInit) -> bool:
        """A bearer token in the payload (see ``espace.ws.auth``), else close 4403 saying why."""
        self.token, refusal = token_of(init.payload)
        self.viewer = await self.current_viewer()
        if self.viewer is None:
            raise ProtocolError(FORBIDDEN, refusal)
        # Registered (and listening for its session's revocation) before the ack.
        await self.hub.attach(self)
        self.push(CONNECTION_ACK)
        return not self.closed

    async def current_viewer(self) -> Viewer | None:
        """The viewer of the connection's token now (None once the session has ended)."""
        return await viewer_of_token(self.hub.runtime, self.token)

    async def _serve(self) -> None:
        while True:
            message = await self._next()
            if message is None:
                return
            if isinstance(message, Subscribe):
                await self._start(message)
            elif isinstance(message, Complete):
                self.stop(message.id)
            elif isinstance(message, Ping):
                self.push(pong(message.payload))
            elif isinstance(message, ConnectionInit):
                raise ProtocolError(TOO_MANY_INIT, "Too many initialisation requests")
            # A pong only says the peer is alive.

    async def _start(self, message: Subscribe) -> None:
        try:
            await operations.start(self, message)
        except ProtocolError:
            raise
        except Exception:  # e.g. the broker or the database is unreachable
            log.exception("starting operation %s failed", message.id)
            self.stop(message.id)
            self.send_error(message.id, [INTERNAL])

    def stop(self, op_id: str) -> None:
        """End one operation (the client completed it, or the socket is going)."""
        op = self.ops.pop(op_id, None)
        if isinstance(op, asyncio.Task):
            op.cancel()
        elif op is not None:
            self.hub.leave(op)
