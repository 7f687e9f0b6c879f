"""Sign-in attempts limited per client address and for the whole service (``limits``).

The per-account throttle (``resolvers.identity.throttle``) slows guessing one account's password; it
cannot see password spraying, where one client tries one password on many identifiants.
These limits count every attempt (sign-in, recovery by secret question) by the client's
address, and all of them together, in a moving window: in memory for one process, in Redis
(``ESPACE_REDIS_URL``) when several processes share the load. An attempt past a limit is
refused before any password is checked (``resolvers.identity.sign_in_limits``: THROTTLED).

Limits are strings in the ``limits`` notation: ``"30/minute;300/hour"``; empty turns a
family off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

NAMESPACE = "sign-in"


@dataclass(frozen=True)
class Refused:
    """An attempt past a limit: whose limit (the client's, or the whole service's) and how
    long until the window lets one more in."""

    whole_service: bool
    wait_seconds: float


class SignInLimits:
    """Counts sign-in attempts per client and overall; refuses past the limits."""

    def __init__(
        self,
        per_client: str,
        overall: str,
        redis_url: str | None = None,
        key_prefix: str = "espace:",
    ) -> None:
        self.per_client: list[RateLimitItem] = parse_many(per_client) if per_client else []
        self.overall: list[RateLimitItem] = parse_many(overall) if overall else []
        self._pool: Any = None
        storage: Storage
        if redis_url:
            import redis.asyncio as redis

            self._pool = redis.ConnectionPool.from_url(redis_url)
            storage = RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix=key_prefix + "limits",
                connection_pool=self._pool,
            )
        else:
            storage = MemoryStorage()
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)

    async def attempt(self, client: str) -> Refused | None:
        """Count one attempt from ``client``; refused (and not counted) past a limit
        (``resolvers.identity.sign_in_limits`` turns it into THROTTLED)."""
        # hit() counts and refuses atomically: the aliases of one request, run concurrently,
        # cannot all slip into the last free slot.
        for item in self.per_client:
            if not await self.limiter.hit(item, NAMESPACE, "client", client):
                return Refused(False, await self._wait(item, "client", client))
        for item in self.overall:
            if not await self.limiter.hit(item, NAMESPACE, "all"):
                return Refused(True, await self._wait(item, "all"))
        return None

    async def _wait(self, item: RateLimitItem, *identifiers: str) -> float:
        stats = await self.limiter.get_window_stats(item, NAMESPACE, *identifiers)
        return max(1.0, stats.reset_time - time.time())

    async def close(self) -> None:
        """Release the Redis connections, or the memory storage's expiry task."""
        if self._pool is not None:
            await self._pool.disconnect()
        timer = getattr(self.storage, "timer", None)
        if timer is not None and not timer.done():
            timer.cancel()
