"""A graphql-transport-ws client for tests, over a real socket (the ``websockets`` package).

    async with ws_connect(server) as ws:
        await ws.init(token)
        await ws.subscribe("1", DASHBOARD_EVENTS)
        event = await ws.next_data("1")

It answers the server's pings (and counts them), as graphql-ws clients do, and reads a
close frame as ``Closed(code, reason)``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")


class Server(Protocol):
    """A running server (``tests.conftest.LiveServer``, or any process at ``url``)."""

    @property
    def url(self) -> str: ...


@dataclass(frozen=True)
class Closed:
    code: int | None
    reason: str


class WSClient:
    """One socket speaking graphql-transport-ws."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.pings = 0
        self.answer_pings = True

    @property
    def subprotocol(self) -> str | None:
        return self.ws.subprotocol

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.ws.send(message if isinstance(message, str) else orjson.dumps(message).decode())

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next message other than a server ping (which is answered and counted)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            raw = await asyncio.wait_for(self.ws.recv(), max(remaining, 0.001))
            message: dict[str, Any] = orjson.loads(raw)
            if message.get("type") == "ping":
                self.pings += 1
                if self.answer_pings:
                    await self.send({"type": "pong"})
                continue
            return message

    async def init(self, token: str | None, **payload: Any) -> dict[str, Any]:
        """Send ``connection_init`` with the bearer token; return the ack."""
        if token is not None:
            payload["authorization"] = f"Bearer {token}"
        await self.send({"type": "connection_init", "payload": payload})
        ack = await self.receive(timeout=15.0)  # a token check on a busy CI machine
        assert ack == {"type": "connection_ack"}, ack
        return ack

    async def subscribe(
        self,
        op_id: str,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> None:
        payload: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name is not None:
            payload["operationName"] = operation_name
        await self.send({"id": op_id, "type": "subscribe", "payload": payload})

    async def complete(self, op_id: str) -> None:
        await self.send({"id": op_id, "type": "complete"})

    async def next_data(self, op_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The data of the next ``next`` message of ``op_id`` (failing on errors)."""
        message = await self.receive(timeout)
        assert message.get("id") == op_id and message.get("type") == "next", message
        payload: dict[str, Any] = message["payload"]
        assert "errors" not in payload, payload
        data: dict[str, Any] = payload["data"]
        return data

    async def collect(self, op_id: str, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        return [await self.next_data(op_id, timeout) for _ in range(count)]

    async def nothing_for(self, seconds: float) -> None:
        """Fail if any message other than a ping arrives within ``seconds``."""
        try:
            message = await self.receive(timeout=seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected message: {message}")

    async def closed(self, timeout: float = 5.0) -> Closed:
        """Wait for the server's close frame (reading and dropping anything before it)."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self.receive(timeout)
        except ConnectionClosed as exc:
            frame = exc.rcvd
            return Closed(frame.code if frame else None, frame.reason if frame else "")

    async def closed_within(self, seconds: float) -> tuple[Closed, float]:
        start = time.monotonic()
        closed = await self.closed(timeout=seconds + 1)
        return closed, time.monotonic() - start


def ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "/graphql"


@asynccontextmanager
async def ws_connect(
    server: Server,
    *,
    subprotocols: list[str] | None = None,
    origin: str | None = None,
) -> AsyncIterator[WSClient]:
    """Open a socket to the live server (graphql-transport-ws unless told otherwise)."""
    offered = [PROTOCOL] if subprotocols is None else [Subprotocol(p) for p in subprotocols]
    async with connect(
        ws_url(server),
        subprotocols=offered or None,
        origin=Origin(origin) if origin else None,
        ping_interval=None,
        open_timeout=5,
        close_timeout=2,
    ) as ws:
        yield WSClient(ws)


@asynccontextmanager
async def subscribed(
    server: Server, token: str, query: str, variables: dict[str, Any] | None = None
) -> AsyncIterator[WSClient]:
    """An authenticated socket with one operation ``"1"`` subscribed."""
    async with ws_connect(server) as ws:
        await ws.init(token)
        await ws.subscribe("1", query, variables)
        yield ws


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``check()`` holds (state of the server that no message shows)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition never held")
        await asyncio.sleep(0.01)
