"""What the hub and the operations need from a client connection, whatever carries it.

A graphql-transport-ws socket (``espace.ws.connection``) and a graphql-sse stream
(``espace.sse``) are both peers: they authenticate once, register with the hub (so that
a revoked session ends them), and frame the same serialized results their own way.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

import strawberry
from starlette.requests import Request
from starlette.websockets import WebSocket

from espace.persisted import PersistedQueries
from espace.ws.documents import Documents
from espace.ws.groups import Member
from espace.ws.protocol import Subscribe
from espace.ws.topics import Topic
from ground.runtime import Runtime
from ground.settings import Settings
from resolvers.identity.sessions import Viewer


class Hub(Protocol):
    """What peers and ``espace.ws.operations`` need of ``espace.ws.hub.Hub`` (named here,
    so that nothing below the hub imports it)."""

    runtime: Runtime
    settings: Settings
    schema: strawberry.Schema
    documents: Documents
    persisted: PersistedQueries
    topics: dict[str, Topic]

    async def attach(self, conn: Peer) -> None: ...
    def forget(self, conn: Peer) -> None: ...
    async def join(
        self, conn: Peer, message: Subscribe, topic: Topic, start: int | None
    ) -> None: ...
    def leave(self, member: Member) -> None: ...


class Peer(Protocol):
    """One client connection served by the hub."""

    hub: Hub
    viewer: Viewer | None
    ops: dict[str, Member | asyncio.Task[None]]
    closed: bool

    def request(self) -> Request | WebSocket:
        """The HTTP request or socket, for a GraphQL context (headers, client)."""

    async def current_viewer(self) -> Viewer | None:
        """The viewer of the connection's token now (None once the session has ended)."""

    def next_prefix(self, op_id: str) -> str:
        """What ``send_next`` puts before every result of one operation (built once)."""

    def send_next(self, prefix: str, payload: str) -> None:
        """One serialized execution result of an operation; never waits."""

    def send_error(self, op_id: str, errors: list[dict[str, Any]]) -> None:
        """The operation could not start (parse, validation, limits); it is over."""

    def send_complete(self, op_id: str) -> None:
        """The operation is over."""

    def keepalive(self) -> None:
        """Show the peer and the proxies between that the connection is alive."""

    def close(self, code: int, reason: str) -> None:
        """End the connection now (graphql-transport-ws close codes)."""

    def stop(self, op_id: str) -> None:
        """End one operation."""
