"""What the hub and the operations need from a client connection, whatever carries it.

A graphql-transport-ws socket (``espace.ws.connection``) and a graphql-sse stream
(``espace.sse``) are both peers: they authenticate once, register with the hub (so that
a revoked session ends them), and frame the same serialized results their own way.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.websockets import WebSocket

from resolvers.identity.sessions import Viewer

if TYPE_CHECKING:
    from espace.ws.groups import Member
    from espace.ws.hub import Hub


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
