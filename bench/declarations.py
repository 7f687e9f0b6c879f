"""``python -m bench --only declarations``: ``actualisationSubmit`` per second with 2 uvicorn
workers on PostgreSQL, as on the first morning of a window.

``--declarants`` seeded candidats (bench/declarations_seed.py), each signed in, declare their
month once, ``--concurrency`` at a time, for ``--duration`` seconds (or until everyone has
declared): the real mutation, with its receipt mail in the outbox, its dashboard event and
the payment computed by the rules in the same transaction. A third declare work (one
employer, 40 h, 600 € gross). Each request is a different candidat: a declaration is made
once per month. Afterwards the database must hold exactly as many declarations and payments
as the successes counted. Target: at least 300 per second. ``bench/results/declarations.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from bench import cpu
from bench.common import RESULTS, database, server
from bench.declarations_seed import seed
from bench.load import build_request, read_response

TARGET_PER_SECOND = 300.0
SUBMIT = (
    Path(__file__).resolve().parent.parent / "graphql" / "operations" / "Actualisation.graphql"
).read_text(encoding="utf-8")
NO = {"training": False, "sick": False, "maternity": False, "retirement": False}


def answers(n: int) -> dict[str, Any]:
    """Most declare nothing; one in three worked for one employer this month."""
    worked = n % 3 == 0
    employers = [{"name": "Boulangerie Exemple", "hours": 40, "grossPay": "600"}]
    return {
        "stillLooking": True,
        "worked": worked,
        "employers": employers if worked else None,
        "invalidity": False,
        **NO,
    }


def body(n: int) -> bytes:
    return json.dumps(
        {
            "query": SUBMIT,
            "operationName": "ActualisationSubmit",
            "variables": {"input": answers(n)},
        }
    ).encode()


async def _load(
    url: str, requests: deque[bytes], concurrency: int, duration: float
) -> dict[str, Any]:
    """``concurrency`` keep-alive connections send the requests, each once, until none is
    left or ``duration`` is over."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    deadline = time.perf_counter() + duration
    latencies: list[float] = []
    failures: list[str] = []

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while requests and time.perf_counter() < deadline:
                request = requests.popleft()
                start = time.perf_counter()
                writer.write(request)
                status, answer = await read_response(reader)
                latencies.append(time.perf_counter() - start)
                if status != 200 or b'"userErrors":[]' not in answer:
                    failures.append(f"{status} {answer[:300]!r}")
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    done = len(latencies) - len(failures)
    return {
        "declarations": done,
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
        "seconds": round(elapsed, 2),
        "per_second": round(done / elapsed, 1),
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
    }


def _group_of(*args: str) -> int:
    """The process group of the process whose command line has ``args`` (``espace serve``
    started in its own session: its uvicorn workers are in the group)."""
    match = cpu.command_line(*args)
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if match(0, Path("/proc", name, "cmdline").read_bytes()):
                    stat = Path("/proc", name, "stat").read_text()
                    return int(stat.rsplit(")", 1)[1].split()[2])
            except OSError:
                continue
    raise RuntimeError("the server process is not found")


async def _stored(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        return {
            table: await conn.fetchval(f"SELECT count(*) FROM {table}")
            for table in ("actualisations", "indemnisation_payments", "outbox_mails")
        }
    finally:
        await conn.close()


def run(declarants: int, concurrency: int, duration: float = 30.0) -> dict[str, Any]:
    """Seed, serve with 2 workers, load; writes ``bench/results/declarations.json``."""
    with database("postgres") as url:
        dsn = url.replace("postgresql+asyncpg://", "postgresql://")
        tokens, period = asyncio.run(seed(dsn, declarants))
        print(f"  declarations: {declarants:,} candidats seeded, {period:%Y-%m} open", flush=True)
        with server(url, workers=2) as base:
            requests = deque(
                build_request(base + "/graphql", body(n), token) for n, token in enumerate(tokens)
            )
            # Warm-up: a few declarations through each worker before timing.
            asyncio.run(_load(base + "/graphql", requests, 4, 1.0))
            load = os.getloadavg()
            port = base.rsplit(":", 1)[1]
            with (
                cpu.Meter(cpu.process_group(_group_of("--port", port))) as served,
                cpu.Meter(cpu.postgres_backends(url.rsplit("/", 1)[1])) as postgres,
            ):
                result = asyncio.run(_load(base + "/graphql", requests, concurrency, duration))
            load_after = os.getloadavg()
        stored = asyncio.run(_stored(dsn))
    done = max(result["declarations"], 1)
    server_ms, postgres_ms = served.seconds * 1000 / done, postgres.seconds * 1000 / done
    result |= {
        # CPU per declaration moves much less than the rate with the machine's other load:
        # the ceiling is what the 2 cores would do for nothing else (load client excluded).
        "server_cpu_ms": round(server_ms, 2),
        "postgres_cpu_ms": round(postgres_ms, 2),
        "ceiling_per_second_2_cores": round(2000 / (server_ms + postgres_ms), 1),
        "backend": "postgres",
        "workers": 2,
        "concurrency": concurrency,
        "seeded": declarants,
        "stored_after": stored,
        "target_per_second": TARGET_PER_SECOND,
        "met": result["per_second"] >= TARGET_PER_SECOND and result["failures"] == 0,
        "load_average_before": [round(x, 2) for x in load],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "declarations.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("declarations:", json.dumps(result), flush=True)
    return result
