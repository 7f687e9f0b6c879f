"""``viewer { dossiers }`` (bench/queries.py) executed in process, compiled path and
interpreter, on a seeded SQLite file: the whole ``schema.execute`` (database included, no
HTTP), and the post-pass alone (phones and communes filled in Python)."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import orjson
from graphql import parse
from starlette.requests import Request

from bench.common import SECRET, database
from bench.queries import VIEWER_DOSSIERS
from bench.seed import seed
from ground.runtime import Runtime
from ground.settings import Settings
from resolvers.identity.sessions import viewer_for_token
from schema import build_schema
from schema.core.context import Context


def run(iterations: int = 1000) -> dict[str, object]:
    with database("sqlite") as url:
        return asyncio.run(_measure(url, iterations))


async def _measure(url: str, iterations: int) -> dict[str, object]:
    settings = Settings(database_url=url, secret_key=SECRET, outbox_enabled=False)
    runtime = Runtime.create(settings)
    try:
        seeded = await seed(runtime.engine, SECRET, 10, 3, runtime.hasher)
        schema = build_schema(settings)
        request = Request({"type": "http", "method": "POST", "headers": [], "path": "/graphql"})
        found: dict[str, object] = {}
        for mode, compiled in (("compiled", True), ("interpreted", False)):
            samples = []
            for n in range(200 + iterations):
                context = Context(runtime=runtime, request=request)
                context.compiled_reads = compiled
                start = time.perf_counter()
                viewer = await viewer_for_token(context.read_session(), settings, seeded.tokens[0])
                context.viewer = viewer
                result = await schema.execute(VIEWER_DOSSIERS, context_value=context)
                elapsed = time.perf_counter() - start
                await context.close()
                assert result.errors is None, result.errors
                if n >= 200:
                    samples.append(elapsed)
            found[f"{mode}_median_ms"] = _ms(statistics.median(samples))
            found[f"{mode}_p99_ms"] = _ms(sorted(samples)[int(0.99 * len(samples))])
        reads: Any = schema.compiled_reads  # type: ignore[attr-defined]
        found["compiled_requests"] = reads.counts["compiled"]
        found["postpass_median_ms"] = _postpass(schema, runtime, seeded.tokens[0])
        found["note"] = "in process, SQLite, token check included; no HTTP"
        return found
    finally:
        await runtime.engine.dispose()


def _postpass(schema: Any, runtime: Runtime, _token: str) -> float:
    """The post-pass of the query's plan on three dossiers' row values, parse to dump."""
    document = parse(VIEWER_DOSSIERS)
    plan = schema.compiled_reads.plan(schema._schema, VIEWER_DOSSIERS, document, None, "sqlite")
    node = {"id": "x", "phoneMobile": ["+33612345678"], "commune": ["22070", "22200"]}
    text = orjson.dumps({"viewer": {"dossiers": {"edges": [{"node": node}] * 3}}})
    samples = []
    for _ in range(2000):
        start = time.perf_counter()
        data = orjson.loads(text)
        plan.filler.apply(data, runtime)
        orjson.dumps(data)
        samples.append(time.perf_counter() - start)
    return _ms(statistics.median(samples))


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def compiles(query: str) -> bool:
    """Whether the compiled reads answer ``query`` (else the interpreter does)."""
    schema = build_schema(Settings(secret_key=SECRET))
    reads = schema.compiled_reads  # type: ignore[attr-defined]
    return reads.plan(schema._schema, query, parse(query), None, "postgresql") is not None
