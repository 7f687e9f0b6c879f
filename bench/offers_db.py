"""The 1M-offer databases of the offer benchmarks: built once per backend, then copied.

The base database holds the schema up to migration 0002 (offers) and the generated offers.
It is cached under a key of the offer count and a hash of what shapes the rows (the
generator, the demo vocabulary, the stemmer, the migrations 0001-0002):

- SQLite: ``bench/results/offers-<count>-<hash>.sqlite3``;
- PostgreSQL: the database ``espace_bench_offers``, its key in the database comment.

Bulk paths: the secondary indexes (and on SQLite the FTS5 insert trigger) are dropped
before loading and created again afterwards with the migration's own definitions; on SQLite
FTS5's ``rebuild`` then fills ``offers_fts`` and its ``integrity-check`` proves the index
matches the table; on PostgreSQL the rows go through COPY. The build finally compares the
schema (tables, indexes, triggers) with a database the migrations built, and fails if it
differs. Each run works on a copy upgraded to the latest migration (``working_copy``), so
later migrations never stale the cache.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bench.common import PG_ADMIN, RESULTS, ROOT, _pg
from bench.offers_gen import _encoder, generate_offers, row_factory
from bench.offers_schema import check_schema
from ground.migrate import alembic_config, upgrade

BASE_REVISION = "0002"
PG_BASE = "espace_bench_offers"
PG_RUN = "espace_bench_offers_run"
SOURCES = (
    "bench/offers_gen.py",
    "espace/cli/demo_offers.py",
    "resolvers/offers/text.py",
    "resolvers/offers/fields.py",
    "migrations/versions/0001_initial_schema.py",
    "migrations/versions/0002_offers.py",
)
COPY_CHUNK = 100_000
_m0002: Any = importlib.import_module("migrations.versions.0002_offers")
OFFER_INDEXES: dict[str, list[str]] = _m0002.OFFER_INDEXES
SQLITE_FTS: list[str] = _m0002.SQLITE_FTS
PG_GIN = _m0002.POSTGRES_FTS[3]


def generator_version() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:12]


def pg_url(name: str, driver: str = "+asyncpg") -> str:
    base = PG_ADMIN.rsplit("/", 1)[0]
    return base.replace("postgresql://", f"postgresql{driver}://") + f"/{name}"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(done: int) -> None:
    print(f"\r  {done:,} offres", end="", file=sys.stderr, flush=True)


def ensure_base(backend: str, count: int, rebuild: bool = False) -> dict[str, Any]:
    """Build the base database unless a matching one is cached; says how long it took."""
    key = f"offers={count} generator={generator_version()}"
    if backend == "sqlite":
        path = RESULTS / f"offers-{count}-{generator_version()}.sqlite3"
        if path.exists() and not rebuild:
            return {"cached": True, "key": key, "path": str(path)}
        for stale in RESULTS.glob(f"offers-{count}-*.sqlite3*"):  # an older generator's
            stale.unlink()
        seconds = _build_sqlite(path, count)
        return {"cached": False, "key": key, "path": str(path), **seconds}
    if _pg_comment(PG_BASE) == key and not rebuild:
        return {"cached": True, "key": key, "database": PG_BASE}
    _pg(f'DROP DATABASE IF EXISTS "{PG_BASE}" WITH (FORCE)')
    _pg(f'CREATE DATABASE "{PG_BASE}"')
    seconds = _build_postgres(count)
    _pg(f"COMMENT ON DATABASE \"{PG_BASE}\" IS '{key}'")
    return {"cached": False, "key": key, "database": PG_BASE, **seconds}


def drop_base(backend: str) -> None:
    if backend == "sqlite":
        for path in RESULTS.glob("offers-*.sqlite3*"):
            path.unlink()
    else:
        _pg(f'DROP DATABASE IF EXISTS "{PG_BASE}" WITH (FORCE)')


@contextmanager
def working_copy(backend: str, base: dict[str, Any], keep: bool = False) -> Iterator[str]:
    """A copy of the base database at the latest migration; removed afterwards unless
    ``keep`` (to look into it; the next run replaces a kept PostgreSQL copy)."""
    if backend == "sqlite":
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"bench-offers-run-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(base["path"], path)
        url = f"sqlite+aiosqlite:///{path}"
        try:
            upgrade(url)
            prewarm(url)
            yield url
        finally:
            if keep:
                _say(f"kept: {url}")
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    _pg(f'DROP DATABASE IF EXISTS "{PG_RUN}" WITH (FORCE)')
    _pg(f'CREATE DATABASE "{PG_RUN}" TEMPLATE "{PG_BASE}" STRATEGY FILE_COPY')
    try:
        url = pg_url(PG_RUN)
        upgrade(url)
        prewarm(url)
        yield url
    finally:
        if keep:
            _say(f"kept: {pg_url(PG_RUN)}")
        else:
            _pg(f'DROP DATABASE IF EXISTS "{PG_RUN}" WITH (FORCE)')


def prewarm(url: str) -> None:
    """Read the database into the OS page cache, as a server busy with searches has it (a
    fresh copy is cold: its first searches would measure the disk)."""
    if url.startswith("sqlite"):
        with open(url.split("///", 1)[1], "rb") as fh:
            while fh.read(1 << 24):
                pass
        return

    async def warm() -> None:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
        try:
            await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            await conn.execute(
                "SELECT pg_prewarm(c.oid, 'read') FROM pg_class c "
                "WHERE c.relkind IN ('r', 'i', 't') AND pg_relation_size(c.oid) > 0 "
                "AND c.relnamespace IN ('public'::regnamespace, 'pg_toast'::regnamespace)"
            )
        finally:
            await conn.close()

    asyncio.run(warm())


def _timed(steps: dict[str, float], name: str, began: float) -> float:
    now = time.perf_counter()
    steps[name] = round(now - began, 1)
    return now


def _build_sqlite(path: Path, count: int) -> dict[str, float]:
    RESULTS.mkdir(exist_ok=True)
    building = path.with_name(path.name + ".building")
    building.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{building}"
    _say(f"SQLite: generating {count:,} offers into {path.name}")
    command.upgrade(alembic_config(url), BASE_REVISION)
    seconds = asyncio.run(_fill_sqlite(url, count))
    check_schema(url, "sqlite", BASE_REVISION)
    building.rename(path)
    return seconds


async def _fill_sqlite(url: str, count: int) -> dict[str, float]:
    engine = create_async_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def _bulk(dbapi_conn: Any, _record: Any) -> None:
        # A throwaway build: no journal, no fsync, a large page cache.
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    steps: dict[str, float] = {}
    began = time.perf_counter()
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("DROP TRIGGER offers_fts_insert")
            await conn.run_sync(_drop_indexes)
        step = time.perf_counter()
        await generate_offers(engine, count, commit_every=100_000, progress=_progress)
        step = _timed(steps, "insert_s", step)
        async with engine.begin() as conn:
            await conn.run_sync(_create_indexes)
            step = _timed(steps, "indexes_s", step)
            await conn.exec_driver_sql("INSERT INTO offers_fts(offers_fts) VALUES ('rebuild')")
            await conn.exec_driver_sql(SQLITE_FTS[1])  # the insert trigger, as migrated
            step = _timed(steps, "fts_rebuild_s", step)
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "INSERT INTO offers_fts(offers_fts, rank) VALUES ('integrity-check', 1)"
            )
            _timed(steps, "fts_integrity_check_s", step)
    finally:
        await engine.dispose()
    steps["total_s"] = round(time.perf_counter() - began, 1)
    _say(f"\n  {steps}")
    return steps


def _drop_indexes(conn: Connection) -> None:
    op = Operations(MigrationContext.configure(conn))
    for name in OFFER_INDEXES:
        op.drop_index(name, "offers")


def _create_indexes(conn: Connection) -> None:
    op = Operations(MigrationContext.configure(conn))
    for name, columns in OFFER_INDEXES.items():
        op.create_index(name, "offers", columns)


def _build_postgres(count: int) -> dict[str, float]:
    _say(f"PostgreSQL: generating {count:,} offers into {PG_BASE}")
    command.upgrade(alembic_config(pg_url(PG_BASE)), BASE_REVISION)
    seconds = asyncio.run(_fill_postgres(count))
    check_schema(pg_url(PG_BASE), "postgresql", BASE_REVISION)
    return seconds


async def _fill_postgres(count: int) -> dict[str, float]:
    conn = await asyncpg.connect(pg_url(PG_BASE, ""))
    steps: dict[str, float] = {}
    began = time.perf_counter()
    try:
        await conn.execute("SET maintenance_work_mem = '512MB'")
        for name in [*OFFER_INDEXES, "ix_offers_search_vector"]:
            await conn.execute(f"DROP INDEX {name}")
        make = row_factory(False, 42)
        encode = _encoder(False)
        columns = list(make(0))  # the same draws as generate_offers: identical offers
        async with conn.transaction():
            for start in range(0, count, COPY_CHUNK):
                stop = min(count, start + COPY_CHUNK)
                records = (tuple(encode(v) for v in make(i).values()) for i in range(start, stop))
                await conn.copy_records_to_table("offers", records=records, columns=columns)
                _progress(stop)
        step = _timed(steps, "copy_s", began)
        for name, cols in OFFER_INDEXES.items():
            await conn.execute(f"CREATE INDEX {name} ON offers ({', '.join(cols)})")
        step = _timed(steps, "indexes_s", step)
        await conn.execute(PG_GIN)
        step = _timed(steps, "gin_s", step)
        await conn.execute("VACUUM ANALYZE offers")
        _timed(steps, "vacuum_analyze_s", step)
    finally:
        await conn.close()
    steps["total_s"] = round(time.perf_counter() - began, 1)
    _say(f"\n  {steps}")
    return steps


def _pg_comment(name: str) -> str | None:
    async def read() -> str | None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            value = await conn.fetchval(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
                name,
            )
        finally:
            await conn.close()
        return None if value is None else str(value)

    return asyncio.run(read())
