"""Engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import functools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry

from ground.notifications import take_pending
from ground.session_cache import take_changed
from ground.settings import Settings

WRITE_OPTION = "espace_write"
"""Execution option marking a write transaction (see ``begin_write``)."""


def create_engine(settings: Settings) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, foreign keys and a busy timeout,
    PostgreSQL a statement timeout. Waiting for a pooled connection is bounded too."""
    url = settings.database_url
    kwargs: dict[str, Any] = {"pool_timeout": settings.db_pool_timeout}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": settings.sqlite_busy_timeout}
        _ensure_sqlite_directory(url)
    else:
        # Twenty connections at most, as before, but all kept once opened: an overflow
        # connection was closed on its return, so any load past ten concurrent requests
        # opened (TLS attempt included) and closed a connection per request.
        kwargs["pool_size"] = 20
        kwargs["max_overflow"] = 0
        kwargs["pool_pre_ping"] = False
        if settings.db_statement_timeout > 0 and url.startswith("postgresql+asyncpg"):
            milliseconds = str(int(settings.db_statement_timeout * 1000))
            kwargs["connect_args"] = {"server_settings": {"statement_timeout": milliseconds}}
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        busy_ms = int(settings.sqlite_busy_timeout * 1000)
        event.listen(engine.sync_engine, "connect", partial(_sqlite_pragmas, busy_ms=busy_ms))
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
    return engine


def _ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(
    dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry, busy_ms: int = 30000
) -> None:
    # Let SQLAlchemy drive transactions (pysqlite's own handling defers BEGIN).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cur.close()
    # Base64 for the compiled reads (schema.core.compiled), which PostgreSQL has built in.
    dbapi_conn.create_function("espace_b64", 1, _b64, deterministic=True)
    dbapi_conn.create_function("espace_b64url", 1, _b64url, deterministic=True)


def _b64(text: str | None) -> str | None:
    return None if text is None else base64.b64encode(str(text).encode()).decode()


def _b64url(text: str | None) -> str | None:
    if text is None:
        return None
    return base64.urlsafe_b64encode(str(text).encode()).decode().rstrip("=")


def _sqlite_begin_immediate(conn: Any) -> None:
    # Write transactions (mutations, the outbox worker) take the write lock at
    # BEGIN, so concurrent read-then-write transactions wait on busy_timeout
    # instead of failing with "database is locked". Reads stay deferred.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def create_sessionmaker(
    engine: AsyncEngine, on_commit: Callable[[Session], None] | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit; ``on_commit`` runs after each commit."""

    class RuntimeSession(Session):
        """A session class of this runtime only, so listeners do not leak across runtimes."""

    if on_commit is not None:
        event.listen(RuntimeSession, "after_commit", on_commit)
        event.listen(RuntimeSession, "after_rollback", _drop_pending)
    return async_sessionmaker(
        engine, expire_on_commit=False, autoflush=False, sync_session_class=RuntimeSession
    )


class TurnLock:
    """An asyncio lock the holding task may take again (``scalars()`` calls ``execute()``)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            yield
            return
        async with self._lock:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None


class ReadSession(AsyncSession):
    """A request's shared read session. GraphQL resolves sibling fields concurrently, and one
    AsyncSession cannot run two operations at once: every operation that touches the
    connection (``SERIALISED``) takes its turn on a lock, including ``close()``, so a
    resolver that starts a write never closes the connection under a sibling's statement."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turns = TurnLock()


SERIALISED = (
    "execute",
    "scalar",
    "scalars",
    "get",
    "get_one",
    "stream",
    "stream_scalars",
    "delete",
    "delete_all",
    "merge",
    "merge_all",
    "flush",
    "refresh",
    "run_sync",
    "connection",
    "commit",
    "rollback",
    "close",
    "reset",
    "invalidate",
)
"""Every AsyncSession coroutine method that runs in the session's greenlet."""


def _serialised(name: str) -> Callable[..., Any]:
    original = getattr(AsyncSession, name)

    @functools.wraps(original)
    async def method(self: ReadSession, *args: Any, **kwargs: Any) -> Any:
        async with self._turns.turn():
            return await original(self, *args, **kwargs)

    return method


for _name in SERIALISED:
    if hasattr(AsyncSession, _name):
        setattr(ReadSession, _name, _serialised(_name))


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[ReadSession]:
    return async_sessionmaker(engine, class_=ReadSession, expire_on_commit=False, autoflush=False)


def _drop_pending(session: Session) -> None:
    take_pending(session)
    take_changed(session)


async def begin_write(session: AsyncSession) -> None:
    """Open the session's transaction as a write transaction (BEGIN IMMEDIATE on SQLite)."""
    await session.connection(execution_options={WRITE_OPTION: True})
