"""``python -m bench --only fulldash``: issue 5's full dashboard query on PostgreSQL.

One document (``bench.queries.FULL_DASHBOARD``: viewer -> dossiers -> CVs and alerts,
applications with their offers, the dashboard's counts and last 20 events) for candidats of
a 10,000-candidat database (``bench.fulldash_seed``), with issue 13's « Mes actions » and
« Mon dossier de demandeur d'emploi », then without them (``FULL_DASHBOARD_BEFORE``, the
figures before the section). Measures, for each:

- SQL statements per request, counted in process on the engine (``before_cursor_execute``)
  for a sample of candidats with different amounts of data;
- with ``espace serve --workers 1`` then ``--workers 2`` (on Redis, as deployed): the
  closed-loop maximum (``bench.load``), an open loop at a fixed rate (``bench.open_load``,
  400 req/s by default: rate, p50, p99, errors) and one at 70% of the closed-loop maximum.
  The load clients share the machine with the server and PostgreSQL; no scheduler runs.

The seeded database ``espace_bench_fulldash`` is cached under a key of the candidat count and
a hash of the seed and migration sources (in its comment); ``--fulldash-rebuild`` builds it
again, ``--fulldash-drop`` drops it at the end. Each run replaces its sessions with fresh
ones for a sample of candidats. Results: ``bench/results/fulldash.json`` and a table.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
from alembic import command
from sqlalchemy import event

from bench.common import PG_ADMIN, RESULTS, ROOT, SECRET, _pg, python, server
from bench.dashboard_table import table
from bench.engine_compiled import compiles
from bench.live import REDIS_URL
from bench.queries import FULL_DASHBOARD, FULL_DASHBOARD_BEFORE
from ground.migrate import alembic_config
from models.identity import AccountKind
from resolvers.core.tokens import hash_token, new_token

DATABASE = "espace_bench_fulldash"
CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _dsn(driver: str = "") -> str:
    base = PG_ADMIN.rsplit("/", 1)[0]
    return base.replace("postgresql://", f"postgresql{driver}://") + f"/{DATABASE}"


def _key(candidats: int) -> str:
    digest = hashlib.sha256()
    sources = [
        ROOT / "bench" / n
        for n in ("fulldash_seed.py", "fulldash_rows.py", "fulldash_file.py", "offers_gen.py")
    ]
    sources += sorted((ROOT / "migrations" / "versions").glob("*.py"))
    for path in sources:
        digest.update(path.read_bytes())
    return f"candidats={candidats} sources={digest.hexdigest()[:12]}"


async def _comment() -> str | None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        value = await conn.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            DATABASE,
        )
    finally:
        await conn.close()
    return None if value is None else str(value)


def ensure_database(candidats: int, rebuild: bool) -> dict[str, Any]:
    """The seeded database, built unless a matching one is cached."""
    from bench.fulldash_seed import seed

    key = _key(candidats)
    if not rebuild and asyncio.run(_comment()) == key:
        return {"cached": True, "key": key}
    _pg(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _pg(f'CREATE DATABASE "{DATABASE}"')
    began = time.perf_counter()
    command.upgrade(alembic_config(_dsn("+asyncpg")), "head")
    _say(f"seeding {candidats:,} candidats into {DATABASE}")
    counts = asyncio.run(seed(_dsn(), candidats, lambda m: _say(f"  {m}")))
    _pg(f"COMMENT ON DATABASE \"{DATABASE}\" IS '{key}'")
    return {"cached": False, "key": key, "seconds": round(time.perf_counter() - began, 1), **counts}


async def _fresh_sessions(sample: int) -> list[str]:
    """Replace every session with one per sampled candidat; returns their bearer tokens."""
    conn = await asyncpg.connect(_dsn())
    try:
        ids = await conn.fetch(
            "SELECT id FROM accounts WHERE kind = $2 ORDER BY id LIMIT $1",
            sample,
            AccountKind.CANDIDAT.value,
        )
        now = datetime.now(UTC)
        tokens = [new_token(32) for _ in ids]
        rows = [
            (r["id"], hash_token(SECRET, t), now, now, now + timedelta(hours=12))
            for r, t in zip(ids, tokens, strict=True)
        ]
        async with conn.transaction():
            await conn.execute("DELETE FROM sessions")
            await conn.copy_records_to_table(
                "sessions",
                records=rows,
                columns=["account_id", "token_hash", "created_at", "last_seen_at", "expires_at"],
            )
    finally:
        await conn.close()
    return tokens


async def _count_statements(tokens: list[str], document: str) -> dict[str, Any]:
    """Statements of one request per sampled candidat, with the sizes of what it returned."""
    from espace.app import create_app
    from ground.settings import Settings

    # No worker beside the request (mail, exports, jobs): only its own statements count.
    off = dict.fromkeys(("outbox_enabled", "scheduler_enabled", "data_export_worker_enabled"), 0)
    settings = Settings(database_url=_dsn("+asyncpg"), secret_key=SECRET, **off)
    app = create_app(settings)
    engine = app.state.runtime.engine.sync_engine
    samples: list[dict[str, Any]] = []
    sql: list[str] = []
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for token in tokens:
                headers = {"Authorization": f"Bearer {token}"}
                # The token seen once: its check is cached, as for a candidat browsing.
                await client.post("/graphql", json={"query": "{ viewer { id } }"}, headers=headers)
                statements: list[str] = []

                def count(*args: Any, into: list[str] = statements) -> None:
                    into.append(" ".join(str(args[2]).split())[:160])

                event.listen(engine, "before_cursor_execute", count)
                try:
                    response = await client.post(
                        "/graphql", json={"query": document}, headers=headers
                    )
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                body = response.json()
                assert "errors" not in body, body
                work = [s for s in statements if s.split()[0] not in CONTROL]
                samples.append({"statements": len(work), **_sizes(body["data"]["viewer"])})
                if len(work) > len(sql):
                    sql = work
    counts = sorted({s["statements"] for s in samples})
    return {"distinct_counts": counts, "target": 1, "samples": samples, "sql": sql}


def _sizes(viewer: dict[str, Any]) -> dict[str, int]:
    dossiers = [e["node"] for e in viewer["dossiers"]["edges"]]
    return {
        "dossiers": len(dossiers),
        "cvs": sum(len(d["cvs"]["edges"]) for d in dossiers),
        "alerts": sum(len(d["alerts"]["edges"]) for d in dossiers),
        "applications": len(viewer["applications"]["edges"]),
        "events": len(viewer["dashboard"]["events"]["edges"]),
    }


def _load(module: str, base: str, requests_file: str, *options: str) -> dict[str, Any]:
    out = subprocess.run(
        [python(), "-m", module, base + "/graphql", requests_file, *options],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _http(
    tokens: list[str],
    workers: int,
    duration: float,
    concurrency: int,
    rate: float,
    document: str,
    compiled: bool = True,
) -> dict[str, Any]:
    body = json.dumps({"query": document})
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump([{"body": body, "token": t} for t in tokens], fh)
        requests_file = fh.name
    try:
        # The periodic jobs (alert digests…) would compete with the measured requests.
        quiet = {
            "ESPACE_SCHEDULER_ENABLED": "false",
            "ESPACE_COMPILED_READS": "true" if compiled else "false",
        }
        if workers > 1:  # as deployed: without Redis no worker caches session checks
            quiet |= {"ESPACE_REDIS_URL": REDIS_URL, "ESPACE_REDIS_PREFIX": f"b{uuid4().hex}:"}
        with server(_dsn("+asyncpg"), workers=workers, extra_env=quiet) as base:
            load_before = os.getloadavg()
            closed = _load(
                "bench.load",
                base,
                requests_file,
                "--concurrency",
                str(concurrency),
                "--duration",
                str(duration),
            )
            # Below saturation first (70% of the closed loop), where latency means something;
            # then the fixed rate, last, as its backlog outlives the run.
            within = str(max(1.0, round(0.7 * float(closed["rps"]))))
            below = _load(
                "bench.open_load",
                base,
                requests_file,
                "--rate",
                within,
                "--duration",
                str(duration),
            )
            opened = _load(
                "bench.open_load",
                base,
                requests_file,
                "--rate",
                str(rate),
                "--duration",
                str(duration),
            )
            load_after = os.getloadavg()
    finally:
        os.unlink(requests_file)
    return {
        "workers": workers,
        "closed_loop": {"concurrency": concurrency, **closed},
        "open_loop": opened,
        "open_loop_below_saturation": below,
        "load_before": load_before,
        "load_after": load_after,
    }


def run(
    candidats: int,
    duration: float,
    concurrency: int,
    rate: float,
    sample: int = 2000,
    rebuild: bool = False,
    drop: bool = False,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "candidats": candidats,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_at_start": os.getloadavg(),
    }
    try:
        report["seed"] = ensure_database(candidats, rebuild)
        tokens = asyncio.run(_fresh_sessions(sample))
        report["sessions"] = len(tokens)
        # Both modes of ESPACE_COMPILED_READS ("_interpreted": off; compiled_plan…: compiles?)
        report["compiled_plan"] = compiles(FULL_DASHBOARD)
        report["compiled_plan_before_file"] = compiles(FULL_DASHBOARD_BEFORE)
        for suffix, document in (("", FULL_DASHBOARD), ("_before_file", FULL_DASHBOARD_BEFORE)):
            sql = report[f"sql{suffix}"] = asyncio.run(_count_statements(tokens[:25], document))
            _say(f"sql statements per request{suffix}: {sql['distinct_counts']}")
            for workers in (1, 2):
                for mode, compiled in (("", True), ("_interpreted", False)):
                    key = f"workers_{workers}{suffix}{mode}"
                    report[key] = _http(
                        tokens, workers, duration, concurrency, rate, document, compiled
                    )
                    _say(f"{key}: {json.dumps(report[key])}")
    finally:
        if drop:
            _pg(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fulldash.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(table(report))
    return report
