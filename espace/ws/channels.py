"""The process's broker subscriptions: one per channel in use, counted by its users.

Each subscription hands its messages straight to one listener (no task or queue per
channel). The last user releasing a channel unsubscribes it in the background; a channel
taken again meanwhile stays subscribed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from ground.broker import Broker, Subscription

log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]


class _Channel:
    __slots__ = ("failed", "manager", "name", "ready", "refs")

    def __init__(self, name: str) -> None:
        self.name = name
        self.refs = 1
        self.ready = asyncio.Event()
        self.failed = False
        self.manager: contextlib.AbstractAsyncContextManager[Subscription] | None = None


class Channels:
    """Reference-counted broker subscriptions feeding one listener."""

    def __init__(self, broker: Broker, listener: Listener) -> None:
        self.broker = broker
        self.listener = listener
        self.by_name: dict[str, _Channel] = {}
        self._closing: set[asyncio.Task[None]] = set()

    async def acquire(self, name: str) -> None:
        """Take a reference; returns once the broker delivers the channel's messages."""
        channel = self.by_name.get(name)
        if channel is not None:
            channel.refs += 1
            await channel.ready.wait()
            if channel.failed:
                raise RuntimeError(f"subscribing to {name} failed")
            return
        channel = _Channel(name)
        self.by_name[name] = channel
        manager = self.broker.subscribe(name, listener=self._listener_for(channel))
        try:
            await manager.__aenter__()
        except BaseException:
            channel.failed = True
            self.by_name.pop(name, None)
            raise
        finally:
            channel.ready.set()
        channel.manager = manager

    def release(self, name: str) -> None:
        channel = self.by_name.get(name)
        if channel is None:
            return
        channel.refs -= 1
        if channel.refs <= 0:
            task = asyncio.get_running_loop().create_task(self._unsubscribe(channel))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def _unsubscribe(self, channel: _Channel) -> None:
        await channel.ready.wait()
        if channel.refs > 0 or self.by_name.get(channel.name) is not channel:
            return  # taken again meanwhile
        del self.by_name[channel.name]
        if channel.manager is not None:
            try:
                await channel.manager.__aexit__(None, None, None)
            except Exception:  # the broker's connection may be gone; nothing to undo
                log.exception("unsubscribing from %s failed", channel.name)

    def _listener_for(self, channel: _Channel) -> Listener:
        def deliver(name: str, message: dict[str, Any]) -> None:
            # A channel being replaced must not deliver a message twice.
            if self.by_name.get(name) is not channel:
                return
            try:
                self.listener(name, message)
            except Exception:  # never break the broker's delivery loop
                log.exception("dispatching a message of %s failed", name)

        return deliver

    async def close(self) -> None:
        """Unsubscribe everything (the hub is stopping)."""
        for channel in list(self.by_name.values()):
            channel.refs = 0
            self.by_name.pop(channel.name, None)
            if channel.manager is not None:
                with contextlib.suppress(Exception):
                    await channel.manager.__aexit__(None, None, None)
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
