"""``python -m bench --only payrun``: the monthly payment run for 100,000 declarations.

A fresh PostgreSQL database is seeded by COPY (``bench.payrun_seed``): ``--payrun`` candidats
with open rights, last month's declaration and its payment computed by the rules module,
due today. Then the real code path is timed: ``resolvers.indemnisation.payrun.pay_due``, the
scheduler's ``indemnisation:pay`` job (each payment PAID, its ``PAYMENT_MADE`` event and its
mail in the outbox, chunk by chunk). Target: under 60 s. The result goes to
``bench/results/payrun.json``, with the load average, since the machine is shared.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from datetime import UTC, date, datetime
from typing import Any

import asyncpg

from bench import cpu
from bench.common import RESULTS, SECRET, database
from bench.payrun_seed import seed
from ground.runtime import Runtime
from ground.settings import Settings
from models.dashboard import EventKind
from resolvers.indemnisation.payrun import PAY_CHUNK, pay_due

TARGET_SECONDS = 60.0


def _say(line: str) -> None:
    print(f"  payrun: {line}", flush=True)


async def _counts(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        return {
            "paid": await conn.fetchval(
                "SELECT count(*) FROM indemnisation_payments WHERE status = 'PAID'"
            ),
            "events": await conn.fetchval(
                "SELECT count(*) FROM events WHERE kind = $1", EventKind.PAYMENT_MADE.value
            ),
            "mails": await conn.fetchval(
                "SELECT count(*) FROM outbox_mails WHERE template = 'payment_made'"
            ),
        }
    finally:
        await conn.close()


async def _measure(url: str, candidats: int, chunk: int) -> dict[str, Any]:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    today = datetime.now(UTC).date()
    period = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    started = time.perf_counter()
    compute = await seed(dsn, candidats, period, today, _say)
    seeded = time.perf_counter() - started
    _say(f"seeded in {seeded:.1f} s (rules: {compute:.2f} s for {candidats:,} months)")
    settings = Settings(
        database_url=url, secret_key=SECRET, outbox_enabled=False, db_statement_timeout=0.0
    )
    runtime = Runtime.create(settings.for_batch())
    try:
        await runtime.start()
        load = os.getloadavg()
        started, used = time.perf_counter(), time.process_time()
        with cpu.Meter(cpu.postgres_backends(url.rsplit("/", 1)[1])) as postgres:
            made = await pay_due(runtime, datetime.now(UTC), chunk)
        elapsed, used = time.perf_counter() - started, time.process_time() - used
        load_after = os.getloadavg()
    finally:
        await runtime.close()
    counts = await _counts(dsn)
    _say(f"{made:,} payments made in {elapsed:.1f} s ({made / elapsed:,.0f}/s)")
    return {
        "backend": "postgres",
        "declarations": candidats,
        "chunk": chunk,
        "payments_made": made,
        "seconds": round(elapsed, 2),
        "payments_per_second": round(made / elapsed, 1),
        "target_seconds": TARGET_SECONDS,
        "met": elapsed < TARGET_SECONDS and made == candidats,
        "rows_after": counts,
        # CPU moves much less than the time with the machine's other load.
        "python_cpu_seconds": round(used, 2),
        "postgres_cpu_seconds": round(postgres.seconds, 2),
        "rules_compute_seconds": round(compute, 3),
        "seed_seconds": round(seeded, 1),
        "load_average_before": [round(x, 2) for x in load],
        "load_average_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
    }


def run(candidats: int = 100_000, chunk: int = PAY_CHUNK) -> dict[str, Any]:
    """Seed, time the run, write ``bench/results/payrun.json``; returns the result."""
    with database("postgres") as url:
        result = asyncio.run(_measure(url, candidats, chunk))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "payrun.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("payment run:", json.dumps(result), flush=True)
    return result
