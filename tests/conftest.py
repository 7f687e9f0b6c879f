"""Fixtures: a real database (SQLite or PostgreSQL), a real SMTP server, a real HTTP server."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import models
from ground.migrate import upgrade
from ground.settings import Settings
from refdata import ReferenceData
from tests.support.client import GraphQL, MailCatcher
from tests.support.live import LiveServer, reserved_port
from tests.support.node import node  # noqa: F401  (the fixture, for every test module)

PG_ADMIN_URL = os.environ.get(
    "ESPACE_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_ON = os.environ.get("ESPACE_TEST_POSTGRES") == "1"
REDIS_ON = os.environ.get("ESPACE_TEST_REDIS") == "1"
REDIS_URL = os.environ.get("ESPACE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_ON, reason="set ESPACE_TEST_POSTGRES=1"),
        ],
    ),
]


@pytest.fixture(scope="session")
def reference_data() -> ReferenceData:
    """The shipped reference data, loaded once for the whole run."""
    return ReferenceData.load()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One migrated PostgreSQL database for the run, dropped at the end."""
    name = f"espace_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    async_url = url.replace("postgresql://", "postgresql+asyncpg://")
    try:
        upgrade(async_url)
        yield async_url
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_admin(sql: str) -> None:
    async def run() -> None:
        import asyncpg

        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def _truncate_all(async_url: str) -> None:
    """Empty every table and restart its id sequence, as ``TRUNCATE ... RESTART IDENTITY``
    would, in one round trip. Not TRUNCATE itself: it gives each of the ~50 tables and their
    indexes new files, about a second per test on this machine, where deleting the few rows a
    test wrote takes milliseconds. Children first, so that no foreign key refuses a delete."""
    deletes = "".join(
        f'DELETE FROM "{t.name}";' for t in reversed(models.Base.metadata.sorted_tables)
    )
    restart = (
        "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false)"
        " FROM pg_sequences WHERE schemaname = current_schema();"
    )

    async def run() -> None:
        import asyncpg

        conn = await asyncpg.connect(async_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await conn.execute(f"BEGIN;{deletes}{restart}COMMIT;")
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "espace.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_database")
    yield url
    _truncate_all(url)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis: skipped unless ESPACE_TEST_REDIS=1, and failing (not skipping)
    when that is set but Redis does not answer."""
    if not REDIS_ON:
        pytest.skip("set ESPACE_TEST_REDIS=1")

    async def ping() -> None:
        import redis.asyncio as redis

        client = redis.Redis.from_url(REDIS_URL)
        try:
            await client.ping()
        finally:
            await client.aclose()

    try:
        asyncio.run(ping())
    except Exception as exc:
        pytest.fail(f"ESPACE_TEST_REDIS=1 but Redis at {REDIS_URL} is unreachable: {exc!r}")
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A channel and key prefix of this test alone; its keys are deleted afterwards."""
    prefix = f"espace-test:{os.getpid()}:{uuid.uuid4().hex[:8]}:"
    yield prefix

    async def clean() -> None:
        import redis.asyncio as redis

        client = redis.Redis.from_url(redis_url)
        try:
            async for key in client.scan_iter(match=prefix + "*"):
                await client.delete(key)
        finally:
            await client.aclose()

    asyncio.run(clean())


@pytest.fixture
def smtp() -> Iterator[MailCatcher]:
    """A real SMTP server (aiosmtpd) that keeps every message it receives."""
    catcher = MailCatcher(port=free_port())
    catcher.start()
    try:
        yield catcher
    finally:
        catcher.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Cheap argon2id for the tests' servers: hashing with the production cost (19 MiB, t=2) is about
# 60 ms of CPU per sign-up, sign-in or password change, and the suite does thousands of them on
# two cores. Still argon2id through the same code; the tests that are about the cost itself (the
# parameters a hash carries, the rehash, the dummy verification's timing) take PRODUCTION_HASHING.
TEST_HASHING: dict[str, Any] = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}
PRODUCTION_HASHING: dict[str, Any] = {
    name: Settings.model_fields[name].default for name in TEST_HASHING
}


def make_settings(database_url: str, smtp_port: int, http_port: int, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        **TEST_HASHING,
        "database_url": database_url,
        "debug": True,
        "secret_key": "test-secret-key-not-for-production",
        "smtp_port": smtp_port,
        "public_url": f"http://127.0.0.1:{http_port}",
        "outbox_poll_interval": 0.05,
        "outbox_backoff_base": 0.05,
        "outbox_backoff_cap": 0.2,
        # The periodic jobs run when a test asks (tests/alerts/test_digest.py drives them).
        "scheduler_enabled": False,
        # The machine running the tests may be loaded (argon2 under 2 busy cores): generous
        # waits. tests/hardening/test_request_bounds.py tests the bounds with values of its own.
        "request_timeout": 60.0,
        "db_pool_timeout": 30.0,
        "sqlite_busy_timeout": 30.0,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its server."""
    return {}


@pytest.fixture
def http_socket() -> Iterator[socket.socket]:
    """The test server's port, held from now on (its settings' public URL names it)."""
    sock = reserved_port()
    yield sock
    sock.close()


@pytest.fixture
def http_port(http_socket: socket.socket) -> int:
    return int(http_socket.getsockname()[1])


@pytest.fixture
def settings(
    database_url: str,
    smtp: MailCatcher,
    http_port: int,
    settings_overrides: dict[str, Any],
    tmp_path: Path,
) -> Settings:
    overrides = {"upload_dir": tmp_path / "uploads", **settings_overrides}
    return make_settings(database_url, smtp.port, http_port, **overrides)


@pytest.fixture
async def server(
    settings: Settings, http_port: int, http_socket: socket.socket, reference_data: ReferenceData
) -> AsyncIterator[LiveServer]:
    live = LiveServer(settings, http_port, reference_data, sock=http_socket)
    await live.start()
    try:
        yield live
    finally:
        await live.stop()


@pytest.fixture
async def http(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient) -> GraphQL:
    return GraphQL(http)
