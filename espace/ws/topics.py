"""Event-driven subscription topics: which broker messages feed which root field.

Two shapes cover the product so far:

- ``LogTopic``: a per-account, append-only log read by cursor (``dashboardEvents``). A
  member is registered first, then replays the log after its cursor, then follows it
  live; each notification re-reads the log after the members' positions, so nothing is
  lost (a missed notification is caught up at the next one or at the periodic re-check)
  and nothing is sent twice.
- ``BroadcastTopic``: rows published to everyone in an audience (``announcements``, per
  région), delivered from now on.

A new topic is one entry in ``default_topics``.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy.ext.asyncio import AsyncSession

from espace.ws.groups import Group, GroupKey, Member
from ground.notifications import ANNOUNCEMENTS_CHANNEL, account_channel
from ground.runtime import Runtime
from resolvers.dashboard import events as dashboard
from resolvers.identity.sessions import Viewer
from resolvers.messages import queries as message_queries
from resolvers.proposals import reads as proposals_reads
from schema.core.base import decode_cursor
from schema.dashboard.announcements import Announcement
from schema.dashboard.events import DashboardEvent
from schema.messages.types import Message
from schema.proposals.types import Proposal

if TYPE_CHECKING:
    from refdata import ReferenceData

REPLAY_BATCH = 200


class Entry(Protocol):
    @property
    def id(self) -> int: ...


class Hub(Protocol):
    """What a topic needs of ``espace.ws.hub.Hub`` (named here: the hub imports topics)."""

    runtime: Runtime
    groups: dict[GroupKey, Group]

    def groups_on(self, channel: str) -> set[Group]: ...
    def schedule(self, job: Callable[[], Awaitable[None]]) -> None: ...
    async def execute(self, group: Group, root: object, member: Member) -> str: ...


class Topic(Protocol):
    """What the hub needs from a topic."""

    @property
    def field(self) -> str:
        """The root subscription field it serves."""

    @property
    def message_type(self) -> str:
        """The type of the broker messages that concern it."""

    @property
    def personal(self) -> bool:
        """Executed with the member's viewer (else anonymously)."""

    def channel(self, viewer: Viewer) -> str: ...
    def scope(self, refdata: ReferenceData, viewer: Viewer) -> Hashable: ...
    def start(self, arguments: dict[str, Any]) -> int | None: ...
    async def join(self, hub: Hub, group: Group, member: Member, start: int | None) -> None: ...
    def notify(self, hub: Hub, channel: str, message: dict[str, Any]) -> None: ...
    async def recheck(self, hub: Hub) -> None: ...


@dataclass(frozen=True, eq=False)
class LogTopic:
    """A per-account log followed by cursor, gap-free (see the module docstring)."""

    field: str
    message_type: str
    read_after: Callable[[AsyncSession, int, int, int], Awaitable[Sequence[Entry]]]
    latest: Callable[[AsyncSession, int], Awaitable[int]]
    latest_many: Callable[[AsyncSession, Collection[int]], Awaitable[dict[int, int]]]
    node: Callable[[Any], object]
    cursor_argument: str = "after"
    personal: bool = True

    def channel(self, viewer: Viewer) -> str:
        return account_channel(viewer.account.id)

    def scope(self, refdata: ReferenceData, viewer: Viewer) -> Hashable:
        return viewer.account.id  # per-user events only ever reach that user's sockets

    def start(self, arguments: dict[str, Any]) -> int | None:
        return decode_cursor(arguments.get(self.cursor_argument))

    async def join(self, hub: Hub, group: Group, member: Member, start: int | None) -> None:
        async with group.lock:
            if not member.active:
                return
            if start is None:  # only what comes next
                async with hub.runtime.sessionmaker() as session:
                    start = await self.latest(session, cast(int, group.scope))
            member.last_id = start
            group.members.add(member)
            await self._sync(hub, group)

    def notify(self, hub: Hub, channel: str, message: dict[str, Any]) -> None:
        for group in hub.groups_on(channel):
            if group.topic is self:
                self._queue(hub, group)

    def _queue(self, hub: Hub, group: Group) -> None:
        if not group.queued:
            group.queued = True
            hub.schedule(partial(self._queued_sync, hub, group))

    async def _queued_sync(self, hub: Hub, group: Group) -> None:
        group.queued = False
        async with group.lock:
            await self._sync(hub, group)

    async def _sync(self, hub: Hub, group: Group) -> None:
        """Send every entry after each member's position, each executed once."""
        if not group.members:
            return
        after = min(m.last_id for m in group.members)
        async with hub.runtime.sessionmaker() as session:
            while True:
                rows = await self.read_after(session, cast(int, group.scope), after, REPLAY_BATCH)
                for row in rows:
                    targets = [m for m in group.members if m.last_id < row.id]
                    if targets:
                        payload = await hub.execute(group, self.node(row), targets[0])
                        for member in targets:
                            if member.active:
                                member.push(payload)
                                member.last_id = row.id
                    after = row.id
                if len(rows) < REPLAY_BATCH:
                    return

    async def recheck(self, hub: Hub) -> None:
        """Catch up groups whose log moved on without a notification (one query)."""
        groups = [g for g in hub.groups.values() if g.topic is self and g.members]
        if not groups:
            return
        async with hub.runtime.sessionmaker() as session:
            latest = await self.latest_many(session, {cast(int, g.scope) for g in groups})
        for group in groups:
            position = min((m.last_id for m in group.members), default=None)
            if position is not None and latest.get(cast(int, group.scope), 0) > position:
                self._queue(hub, group)


@dataclass(frozen=True, eq=False)
class BroadcastTopic:
    """Rows published to an audience, delivered live to the groups they reach."""

    field: str
    message_type: str
    channel_name: str
    load: Callable[[AsyncSession, Sequence[int]], Awaitable[dict[int, Any]]]
    node: Callable[[Any], object]
    audience: Callable[[ReferenceData, Viewer], Hashable]
    reaches: Callable[[dict[str, Any], Hashable], bool]
    personal: bool = False
    # Deliveries one at a time, in the order published.
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)

    def channel(self, viewer: Viewer) -> str:
        return self.channel_name

    def scope(self, refdata: ReferenceData, viewer: Viewer) -> Hashable:
        return self.audience(refdata, viewer)

    def start(self, arguments: dict[str, Any]) -> int | None:
        return None

    async def join(self, hub: Hub, group: Group, member: Member, start: int | None) -> None:
        if member.active:
            group.members.add(member)

    def notify(self, hub: Hub, channel: str, message: dict[str, Any]) -> None:
        hub.schedule(partial(self._deliver, hub, message))

    async def _deliver(self, hub: Hub, message: dict[str, Any]) -> None:
        row_id = message.get("id")
        if not isinstance(row_id, int):
            return
        async with self.lock:
            async with hub.runtime.sessionmaker() as session:
                row = (await self.load(session, [row_id])).get(row_id)
            if row is None:
                return
            node = self.node(row)
            for group in list(hub.groups_on(self.channel_name)):
                if group.topic is not self or not self.reaches(message, group.scope):
                    continue
                members = list(group.members)
                if not members:
                    continue
                payload = await hub.execute(group, node, members[0])
                for member in members:
                    if member.active:
                        member.push(payload)

    async def recheck(self, hub: Hub) -> None:
        return None


def candidate_region(refdata: ReferenceData, viewer: Viewer) -> str | None:
    """The région of the account's postal code; None (national news only) without one."""
    postal_code = viewer.account.postal_code
    communes = refdata.communes_for_postal_code(postal_code) if postal_code else []
    return communes[0].region_code if communes else None


def reaches_region(message: dict[str, Any], region: Hashable) -> bool:
    """National announcements reach everyone; a région's only that région."""
    target = message.get("region")
    return target is None or target == region


def default_topics() -> list[Topic]:
    """The registered topics; any other subscription field runs its own generator."""
    return [
        LogTopic(
            field="dashboardEvents",
            message_type="event",
            read_after=dashboard.events_after,
            latest=dashboard.latest_event_id,
            latest_many=dashboard.latest_event_ids,
            node=DashboardEvent.from_model,
        ),
        LogTopic(
            field="proposalReceived",
            message_type="proposal",
            read_after=proposals_reads.proposals_after,
            latest=proposals_reads.latest_proposal_id,
            latest_many=proposals_reads.latest_proposal_ids,
            node=Proposal.from_model,
        ),
        LogTopic(
            field="messageReceived",
            message_type="message",
            read_after=message_queries.received_after,
            latest=message_queries.latest_received_id,
            latest_many=message_queries.latest_received_ids,
            node=Message.from_model,
        ),
        BroadcastTopic(
            field="announcements",
            message_type="announcement",
            channel_name=ANNOUNCEMENTS_CHANNEL,
            load=dashboard.announcements_by_ids,
            node=Announcement.from_model,
            audience=candidate_region,
            reaches=reaches_region,
        ),
    ]
