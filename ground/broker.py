"""Message broker for live updates: in-process by default, Redis pub/sub to scale out.

Messages are small JSON-able dicts published on named channels after the transaction that
caused them has committed. Delivery is at most once (like Redis pub/sub): subscribers that
need every message replay from the database (the event log) by cursor.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol

import orjson

log = logging.getLogger(__name__)

QUEUE_SIZE = 1000


Listener = Callable[[str, dict[str, Any]], None]


class Subscription:
    """A local subscriber: a bounded queue fed by the broker, or a listener called at once.

    A listener runs synchronously in the broker's delivery path: it must be quick and must
    not raise (the WebSocket hub uses one to dispatch without a task or queue per channel).
    """

    def __init__(self, channels: frozenset[str], listener: Listener | None = None) -> None:
        self.channels = channels
        self.listener = listener
        self.queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(QUEUE_SIZE)
        self.overflowed = False

    def offer(self, channel: str, message: dict[str, Any]) -> None:
        if self.listener is not None:
            self.listener(channel, message)
            return
        try:
            self.queue.put_nowait((channel, message))
        except asyncio.QueueFull:
            # A stalled consumer must not hold the broker back; it re-syncs from the log.
            self.overflowed = True

    async def get(self) -> tuple[str, dict[str, Any]]:
        return await self.queue.get()


class Broker(Protocol):
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...
    def subscribe(
        self, *channels: str, listener: Listener | None = None
    ) -> contextlib.AbstractAsyncContextManager[Subscription]: ...


class LocalFanout:
    """Routes messages to the local subscribers of each channel."""

    def __init__(self) -> None:
        self.by_channel: dict[str, set[Subscription]] = {}

    def add(self, sub: Subscription) -> list[str]:
        """Register; returns the channels that had no local subscriber before."""
        new = []
        for channel in sub.channels:
            subs = self.by_channel.setdefault(channel, set())
            if not subs:
                new.append(channel)
            subs.add(sub)
        return new

    def remove(self, sub: Subscription) -> list[str]:
        """Unregister; returns the channels left with no local subscriber."""
        gone = []
        for channel in sub.channels:
            subs = self.by_channel.get(channel)
            if subs is None:
                continue
            subs.discard(sub)
            if not subs:
                del self.by_channel[channel]
                gone.append(channel)
        return gone

    def deliver(self, channel: str, message: dict[str, Any]) -> None:
        for sub in tuple(self.by_channel.get(channel, ())):
            sub.offer(channel, message)


class InProcessBroker:
    """The default: one process, no network."""

    def __init__(self) -> None:
        self.fanout = LocalFanout()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        self.fanout.deliver(channel, message)

    @asynccontextmanager
    async def subscribe(
        self, *channels: str, listener: Listener | None = None
    ) -> AsyncIterator[Subscription]:
        sub = Subscription(frozenset(channels), listener)
        self.fanout.add(sub)
        try:
            yield sub
        finally:
            self.fanout.remove(sub)


class RedisBroker:
    """Redis pub/sub: one connection per process, channels prefixed, local fan-out."""

    def __init__(self, url: str, prefix: str = "espace:") -> None:
        import redis.asyncio as redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix
        self.fanout = LocalFanout()
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        # A placeholder subscription keeps the pub/sub connection in listening mode.
        await self.pubsub.subscribe(self.prefix + "_")
        self._reader = asyncio.create_task(self._read(), name="redis-broker-reader")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self.pubsub.aclose()  # type: ignore[no-untyped-call]
        await self.redis.aclose()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self.redis.publish(self.prefix + channel, orjson.dumps(message))

    @asynccontextmanager
    async def subscribe(
        self, *channels: str, listener: Listener | None = None
    ) -> AsyncIterator[Subscription]:
        sub = Subscription(frozenset(channels), listener)
        async with self._lock:
            new = self.fanout.add(sub)
            if new:
                await self.pubsub.subscribe(*(self.prefix + c for c in new))
        try:
            yield sub
        finally:
            async with self._lock:
                gone = self.fanout.remove(sub)
                if gone:
                    await self.pubsub.unsubscribe(*(self.prefix + c for c in gone))

    async def _read(self) -> None:
        while True:
            try:
                message = await self.pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # a lost connection must not end live updates for good
                log.exception("redis broker: read failed, retrying")
                await asyncio.sleep(0.5)
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"].decode()[len(self.prefix) :]
            try:
                payload = orjson.loads(message["data"])
            except orjson.JSONDecodeError:
                log.warning("redis broker: ignoring a malformed message on %s", channel)
                continue
            self.fanout.deliver(channel, payload)


def create_broker(redis_url: str | None, prefix: str = "espace:") -> Broker:
    if redis_url:
        return RedisBroker(redis_url, prefix)
    return InProcessBroker()
