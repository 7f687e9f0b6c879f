"""GraphQL engine time for a ~100-field query that does no I/O (parser and validation cached)."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from starlette.requests import Request

from bench.queries import HUNDRED_FIELDS
from ground.runtime import Runtime
from ground.settings import Settings
from schema import build_schema
from schema.core.context import Context


def run(iterations: int = 2000) -> dict[str, object]:
    # A file, never opened (the query does no I/O): ":memory:" takes no pool_timeout.
    path = Path(tempfile.gettempdir()) / "espace-engine-bench.sqlite3"
    settings = Settings(database_url=f"sqlite+aiosqlite:///{path}", debug=False, demo=True)
    runtime = Runtime.create(settings)
    schema = build_schema(settings)
    request = Request({"type": "http", "method": "POST", "headers": [], "path": "/graphql"})

    async def once() -> float:
        ctx = Context(runtime=runtime, request=request)
        start = time.perf_counter()
        result = await schema.execute(HUNDRED_FIELDS, context_value=ctx)
        elapsed = time.perf_counter() - start
        assert result.errors is None and result.data is not None
        return elapsed

    async def main() -> list[float]:
        for _ in range(200):
            await once()
        samples = [await once() for _ in range(iterations)]
        await runtime.engine.dispose()
        return samples

    samples = sorted(asyncio.run(main()))
    fields = 10 * 10
    return {
        "resolved_fields": fields,
        "iterations": iterations,
        "median_ms": round(statistics.median(samples) * 1000, 3),
        "p99_ms": round(samples[int(0.99 * len(samples))] * 1000, 3),
        "target_ms": 0.3,  # issue 12
    }
