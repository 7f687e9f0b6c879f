"""Fan-out groups: the subscribers that share a document, variables and authorisation scope.

A group's payload for one event is executed and serialized once; each member only wraps
it with its own (already JSON-encoded) operation id. The scope is part of the key, so
members of one group are entitled to exactly the same data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Any, Protocol

import orjson
from starlette.requests import Request
from starlette.websockets import WebSocket

from resolvers.identity.sessions import Viewer


class MemberPeer(Protocol):
    """What a member needs of its connection (an ``espace.ws.peer.Peer``)."""

    @property
    def viewer(self) -> Viewer | None: ...
    def request(self) -> Request | WebSocket: ...
    def next_prefix(self, op_id: str) -> str: ...
    def send_next(self, prefix: str, payload: str) -> None: ...


class GroupTopic(Protocol):
    """What a group needs of its topic (an ``espace.ws.topics.Topic``)."""

    @property
    def personal(self) -> bool: ...


# (root field, document text, operation name, canonical variables, authorisation scope)
GroupKey = tuple[str, str, str | None, bytes, Hashable]


def group_key(
    field: str,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    scope: Hashable,
) -> GroupKey:
    canonical = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    return (field, query, operation_name, canonical, scope)


class Group:
    """Members that receive the same payload bytes for every event."""

    __slots__ = (
        "channel",
        "key",
        "lock",
        "members",
        "operation_name",
        "query",
        "queued",
        "refs",
        "scope",
        "topic",
        "variables",
    )

    def __init__(
        self,
        key: GroupKey,
        topic: GroupTopic,
        channel: str,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        scope: Hashable,
    ) -> None:
        self.key = key
        self.topic = topic
        self.channel = channel
        self.query = query
        self.operation_name = operation_name
        self.variables = variables
        self.scope = scope
        # Members receiving live events; ``refs`` also counts those still joining.
        self.members: set[Member] = set()
        self.refs = 0
        # Serializes deliveries of a log topic, so each member gets events in order.
        self.lock = asyncio.Lock()
        self.queued = False

    def representative(self) -> Member | None:
        return next(iter(self.members), None)


class Member:
    """One subscribe operation of one connection (socket or event stream), in a group."""

    __slots__ = ("active", "conn", "group", "holds_channel", "last_id", "op_id", "prefix")

    def __init__(self, conn: MemberPeer, op_id: str, group: Group) -> None:
        self.conn = conn
        self.op_id = op_id
        self.prefix = conn.next_prefix(op_id)
        self.group = group
        self.last_id = 0  # for log topics: the last entry sent
        self.active = True
        self.holds_channel = False

    def push(self, payload: str) -> None:
        """Send one serialized execution result as this operation's ``next`` message."""
        self.conn.send_next(self.prefix, payload)
