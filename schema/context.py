"""The per-request GraphQL context: runtime, viewer, a lazy read session and DataLoaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from espace.db import begin_write
from espace.runtime import Runtime
from resolvers.errors import DomainError, ErrorCode
from resolvers.sessions import Viewer

if TYPE_CHECKING:
    from schema.loaders import Loaders


@dataclass
class Context:
    """What every resolver of one request (or one WebSocket connection) can reach."""

    runtime: Runtime
    request: Request | WebSocket
    response: Any = None
    viewer: Viewer | None = None
    connection_params: Any = None
    _session: AsyncSession | None = None
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def settings(self) -> Any:
        return self.runtime.settings

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            from schema.loaders import Loaders

            self._loaders = Loaders(self)
        return self._loaders

    def read_session(self) -> AsyncSession:
        """The request's read session, opened on first use and closed after the operation.
        Concurrent resolvers may share it: its statements take turns."""
        if self._session is None:
            self._session = self.runtime.read_sessionmaker()
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def reset_loaders(self) -> None:
        """Forget cached rows, after a mutation changed them."""
        self._loaders = None

    def require_viewer(self) -> Viewer:
        if self.viewer is None:
            raise DomainError.single(
                None, ErrorCode.UNAUTHENTICATED, "Vous devez être connecté(e)."
            )
        return self.viewer

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction: commits all of its work or none of it."""
        # Reads made before a write see their own snapshot; drop it so the
        # payload re-reads committed state.
        await self.close()
        async with self.runtime.sessionmaker() as session, session.begin():
            await begin_write(session)
            yield session
        self.reset_loaders()
        self.runtime.mailer.wake()

    @property
    def client_ip(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"


Info = StrawberryInfo[Context, None]
