"""A unit of work: a read session, then one write transaction.

Sign-in and password changes verify an argon2 hash (tens of milliseconds of CPU).
They read first, hash outside any transaction, then open a short write
transaction that re-checks what it read. ``schema.core.context.Context`` is a unit of
work; ``RuntimeWork`` is the same thing for code outside GraphQL (HTML pages,
the command line).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from ground.db import begin_write

if TYPE_CHECKING:
    from ground.runtime import Runtime


class UnitOfWork(Protocol):
    def read_session(self) -> AsyncSession: ...

    def write(self) -> AbstractAsyncContextManager[AsyncSession]: ...


class RuntimeWork:
    """A unit of work on the runtime's database (close it when done)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._session: AsyncSession | None = None

    def read_session(self) -> AsyncSession:
        """The read session, opened on first use. Concurrent resolvers share it: every
        operation on it takes its turn (``ground.db.ReadSession``)."""
        if self._session is None:
            self._session = self.runtime.read_sessionmaker()
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction: commits all of its work or none of it."""
        # Reads made before a write see their own snapshot; end it so that what follows
        # re-reads committed state. The session object stays: a sibling resolver may hold it,
        # and its close() waits for the sibling's statement (a turn), then the next statement
        # opens a fresh transaction on the same object, closed with the unit of work.
        if self._session is not None:
            await self._session.close()
        async with self.runtime.sessionmaker() as session, session.begin():
            await begin_write(session)
            yield session
        self.after_write()
        self.runtime.mailer.wake()

    def after_write(self) -> None:
        """Hook for subclasses: forget what the write made stale."""
