"""The process-wide WebSocket hub.

- The ASGI endpoint of ``/graphql`` sockets: Origin and subprotocol checks at the handshake.
- The registry of connections (by account channel) and of fan-out groups. A connection is
  any ``Peer``: a socket, or a graphql-sse event stream (``espace.sse``).
- The broker listener: one subscription per channel in use, dispatched synchronously;
  async work (reading the log, executing, sending) runs on a few worker tasks.
- One heartbeat task for the whole process: pings every peer, re-checks every session
  with one batched query, and catches up log topics whose notifications were lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry
from starlette.types import Receive, Scope, Send
from strawberry.http.websocket_origin import normalize_origin

from espace.persisted import PersistedQueries
from espace.ws.auth import SESSION_ENDED, same_origin
from espace.ws.channels import Channels
from espace.ws.connection import Connection
from espace.ws.documents import Documents
from espace.ws.groups import Group, GroupKey, Member, group_key
from espace.ws.peer import Peer
from espace.ws.protocol import (
    FORBIDDEN,
    GOING_AWAY,
    SUBPROTOCOL,
    SUBPROTOCOL_NOT_ACCEPTABLE,
    Subscribe,
)
from espace.ws.topics import Topic, default_topics
from ground.notifications import account_channel
from ground.runtime import Runtime
from resolvers.identity.sessions import live_session_ids
from schema.core.context import Context

log = logging.getLogger(__name__)

WORKERS = 4
POLICY_VIOLATION = 1008

Job = Callable[[], Awaitable[None]]


class Hub:
    """Every socket of the process, their subscriptions, and what feeds them."""

    def __init__(
        self,
        runtime: Runtime,
        schema: strawberry.Schema,
        persisted: PersistedQueries,
        topics: Sequence[Topic] | None = None,
        workers: int = WORKERS,
    ) -> None:
        self.runtime = runtime
        self.persisted = persisted  # trusted documents: only those may subscribe
        self.settings = runtime.settings
        self.schema = schema
        self.documents = Documents(schema)
        self.topics: dict[str, Topic] = {
            t.field: t for t in (default_topics() if topics is None else topics)
        }
        self.allowed_origins = frozenset(
            o for o in map(normalize_origin, self.settings.allowed_origins) if o is not None
        )
        self.connections: set[Peer] = set()  # sockets and event streams
        self._by_channel: dict[str, set[Peer]] = {}
        self.groups: dict[GroupKey, Group] = {}
        self._groups_by_channel: dict[str, set[Group]] = {}
        self.channels = Channels(runtime.broker, self._dispatch)
        self.executions = 0  # payloads executed for groups (tests and benchmarks read it)
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()
        self._workers = workers
        self._tasks: list[asyncio.Task[None]] = []

    # --- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._heartbeat(), name="ws-heartbeat")]
        self._tasks += [
            loop.create_task(self._work(), name=f"ws-worker-{i}") for i in range(self._workers)
        ]

    async def close(self) -> None:
        for conn in list(self.connections):
            conn.close(GOING_AWAY, "Server shutting down")
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self.channels.close()

    # --- the ASGI endpoint -------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connect = await receive()
        if connect["type"] != "websocket.connect":
            return
        if not self._origin_allowed(scope):
            # Closing before accepting refuses the handshake: HTTP 403.
            await send({"type": "websocket.close", "code": POLICY_VIOLATION})
            return
        if SUBPROTOCOL not in scope.get("subprotocols", ()):
            # As graphql-ws does: accept without a subprotocol, then close 4406.
            await send({"type": "websocket.accept"})
            await send(
                {
                    "type": "websocket.close",
                    "code": SUBPROTOCOL_NOT_ACCEPTABLE,
                    "reason": "Subprotocol not acceptable",
                }
            )
            return
        await send({"type": "websocket.accept", "subprotocol": SUBPROTOCOL})
        await Connection(self, scope, receive, send).run()

    def _origin_allowed(self, scope: Scope) -> bool:
        """Without an allowlist, any origin; with one, a present Origin must be in it or be
        the server's own (GraphiQL's page, whatever host name the browser used)."""
        if not self.allowed_origins:
            return True
        headers = dict(scope.get("headers", ()))
        origin = headers.get(b"origin")
        if origin is None:
            return True  # not a browser: no ambient credentials to abuse
        normalized = normalize_origin(origin.decode("latin-1"))
        if normalized in self.allowed_origins:
            return True
        return normalized is not None and same_origin(normalized, headers.get(b"host"))

    # --- connections -----------------------------------------------------------------

    async def attach(self, conn: Peer) -> None:
        """Register an authenticated connection; returns once its account channel (where
        its session's revocation arrives) is subscribed."""
        assert conn.viewer is not None
        channel = account_channel(conn.viewer.account.id)
        self.connections.add(conn)
        self._by_channel.setdefault(channel, set()).add(conn)
        await self.channels.acquire(channel)

    def forget(self, conn: Peer) -> None:
        """Drop a connection and all its operations (idempotent)."""
        for op_id in list(conn.ops):
            conn.stop(op_id)
        if conn not in self.connections:
            return
        self.connections.remove(conn)
        assert conn.viewer is not None
        channel = account_channel(conn.viewer.account.id)
        peers = self._by_channel.get(channel)
        if peers is not None:
            peers.discard(conn)
            if not peers:
                del self._by_channel[channel]
        self.channels.release(channel)

    # --- fan-out groups --------------------------------------------------------------

    async def join(
        self,
        conn: Peer,
        message: Subscribe,
        topic: Topic,
        start: int | None,
    ) -> None:
        """Add a topic subscription to its group (created on first use)."""
        viewer = conn.viewer
        assert viewer is not None
        scope = topic.scope(self.runtime.refdata, viewer)
        key = group_key(
            topic.field, message.query, message.operation_name, message.variables, scope
        )
        group = self.groups.get(key)
        if group is None:
            channel = topic.channel(viewer)
            group = Group(
                key, topic, channel, message.query, message.operation_name, message.variables, scope
            )
            self.groups[key] = group
            self._groups_by_channel.setdefault(channel, set()).add(group)
        group.refs += 1
        member = Member(conn, message.id, group)
        conn.ops[message.id] = member
        member.holds_channel = True
        # Listening first, then reading: nothing committed in between is missed.
        await self.channels.acquire(group.channel)
        await topic.join(self, group, member, start)

    def leave(self, member: Member) -> None:
        if not member.active:
            return
        member.active = False
        group = member.group
        group.members.discard(member)
        group.refs -= 1
        if group.refs <= 0 and self.groups.get(group.key) is group:
            del self.groups[group.key]
            peers = self._groups_by_channel.get(group.channel)
            if peers is not None:
                peers.discard(group)
                if not peers:
                    del self._groups_by_channel[group.channel]
        if member.holds_channel:
            member.holds_channel = False
            self.channels.release(group.channel)

    def groups_on(self, channel: str) -> set[Group]:
        return self._groups_by_channel.get(channel, set())

    async def execute(self, group: Group, root: object, member: Member) -> str:
        """The group's payload for one event: executed and serialized once."""
        self.executions += 1
        conn = member.conn
        context = Context(
            runtime=self.runtime,
            request=conn.request(),
            viewer=conn.viewer if group.topic.personal else None,
        )
        try:
            return await self.documents.execute_event(
                group.query, group.operation_name, group.variables, root, context
            )
        finally:
            await context.close()

    # --- broker messages -------------------------------------------------------------

    def _dispatch(self, channel: str, message: dict[str, Any]) -> None:
        """Called by the broker for each message of a subscribed channel; must not wait."""
        kind = message.get("type")
        if kind == "sessions_revoked":
            ended = set(message.get("session_ids") or ())
            for conn in list(self._by_channel.get(channel, ())):
                if conn.viewer is not None and conn.viewer.session_id in ended:
                    conn.close(FORBIDDEN, SESSION_ENDED)
            return
        for topic in self.topics.values():
            if topic.message_type == kind:
                topic.notify(self, channel, message)

    def schedule(self, job: Job) -> None:
        self._jobs.put_nowait(job)

    async def _work(self) -> None:
        while True:
            job = await self._jobs.get()
            try:
                await job()
            except Exception:
                log.exception("live update failed")

    # --- heartbeat -------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        loop = asyncio.get_running_loop()
        ping_every = self.settings.ws_ping_interval
        check_every = self.settings.ws_session_recheck_seconds
        next_ping, next_check = loop.time() + ping_every, loop.time() + check_every
        while True:
            await asyncio.sleep(max(0.0, min(next_ping, next_check) - loop.time()))
            now = loop.time()
            if now >= next_ping:
                for conn in list(self.connections):
                    conn.keepalive()
                next_ping = now + ping_every
            if now >= next_check:
                try:
                    await self.recheck()
                except Exception:
                    log.exception("re-checking live sessions failed")
                next_check = loop.time() + check_every

    async def recheck(self) -> None:
        """Close the sockets of ended sessions; catch up log topics (batched queries)."""
        sessions = {c.viewer.session_id for c in self.connections if c.viewer is not None}
        if sessions:
            async with self.runtime.sessionmaker() as session:
                live = await live_session_ids(session, self.settings, sessions)
            for conn in list(self.connections):
                if conn.viewer is not None and conn.viewer.session_id not in live:
                    conn.close(FORBIDDEN, SESSION_ENDED)
        for topic in self.topics.values():
            await topic.recheck(self)
