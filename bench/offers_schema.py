"""The check that a bulk-built offers database has the migrations' schema, to the index
definitions (tables, indexes, triggers on SQLite; indexes on PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.common import PG_ADMIN, RESULTS, _pg
from ground.migrate import alembic_config

_SCHEMA = {
    "sqlite": "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
    "ORDER BY type, name",
    "postgresql": "SELECT tablename, indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = 'public' ORDER BY indexname",
}


def check_schema(url: str, dialect: str, revision: str) -> None:
    """The bulk-built schema is the migrations' one, to the index definitions."""
    reference = (
        RESULTS / f"bench-offers-schema-{uuid.uuid4().hex[:8]}.sqlite3"
        if dialect == "sqlite"
        else f"espace_bench_schema_{uuid.uuid4().hex[:8]}"
    )
    if isinstance(reference, Path):
        ref_url = f"sqlite+aiosqlite:///{reference}"
        cleanup: Callable[[], None] = lambda: reference.unlink(missing_ok=True)  # noqa: E731
    else:
        _pg(f'CREATE DATABASE "{reference}"')
        ref_url = (
            PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
            + f"/{reference}"
        )
        cleanup = lambda: _pg(f'DROP DATABASE IF EXISTS "{reference}" WITH (FORCE)')  # noqa: E731
    try:
        command.upgrade(alembic_config(ref_url), revision)
        built, expected = asyncio.run(_schemas(url, ref_url, _SCHEMA[dialect]))
    finally:
        cleanup()
    if built != expected:
        raise RuntimeError(f"bulk-built schema differs: {set(built) ^ set(expected)}")


async def _schemas(*args: str) -> tuple[list[Any], list[Any]]:
    *urls, query = args
    out = []
    for url in urls:
        engine: AsyncEngine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                out.append([tuple(r) for r in (await conn.execute(text(query))).all()])
        finally:
            await engine.dispose()
    return out[0], out[1]
