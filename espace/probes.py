"""Readiness: ``GET /readyz`` tells whether the database and Redis (when configured) answer.

``/healthz`` (espace.web.pages) stays the liveness probe. A load balancer takes an instance out
of rotation while ``/readyz`` answers 503; the body says which dependency failed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from ground.runtime import Runtime

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]


def checks(runtime: Runtime) -> dict[str, Check]:
    """The dependencies to check, by name."""

    async def database() -> None:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    found: dict[str, Check] = {"database": database}
    url = runtime.settings.redis_url
    if url:
        timeout = runtime.settings.readiness_timeout

        async def redis() -> None:
            import redis.asyncio as aioredis

            # Its own short-lived client: the broker's connection may be the one that hangs.
            client = aioredis.Redis.from_url(
                url, socket_connect_timeout=timeout, socket_timeout=timeout
            )
            try:
                await client.ping()
            finally:
                await client.aclose()

        found["redis"] = redis
    return found


async def _run(name: str, check: Check, timeout: float) -> tuple[str, str]:
    try:
        async with asyncio.timeout(timeout):
            await check()
    except Exception as exc:  # every failure makes the instance not ready
        log.warning("readiness: %s failed: %s", name, type(exc).__name__)
        return name, "error"
    return name, "ok"


async def readiness(runtime: Runtime) -> tuple[bool, dict[str, str]]:
    """Run every check at once, each bounded by ``readiness_timeout``."""
    timeout = runtime.settings.readiness_timeout
    results = await asyncio.gather(
        *(_run(name, check, timeout) for name, check in checks(runtime).items())
    )
    found = dict(results)
    return all(v == "ok" for v in found.values()), found


async def readyz(_request: Request, runtime: Runtime) -> JSONResponse:
    """200 ``{"status": "ok", ...}`` or 503 with the failed checks listed."""
    ready, found = await readiness(runtime)
    body: dict[str, object] = {"status": "ok" if ready else "error", "checks": found}
    if not ready:
        body["failed"] = sorted(k for k, v in found.items() if v != "ok")
    return JSONResponse(body, status_code=200 if ready else 503)
