"""The per-request GraphQL context: runtime, viewer, a lazy read session and DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from ground.runtime import Runtime
from resolvers.access_log.record import AccessRecorder, flush_views
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.identity.sessions import Viewer
from schema.core.loaders import Loaders


@dataclass
class Context(RuntimeWork):
    """What every resolver of one request (or one WebSocket connection) can reach: a unit of
    work (lazy read session, ``write()`` transactions), the viewer and the DataLoaders."""

    runtime: Runtime
    request: Request | WebSocket
    response: Any = None
    viewer: Viewer | None = None
    # Set by the HTTP view: a query may be answered by its compiled plan (schema.core.compiled).
    compiled_reads: bool = False
    _loaders: Loaders | None = field(default=None, repr=False)
    # What this request showed of candidats' data to others (the access log, issue 14 §5).
    access: AccessRecorder = field(default_factory=AccessRecorder, repr=False)

    def __post_init__(self) -> None:
        RuntimeWork.__init__(self, self.runtime)

    @property
    def settings(self) -> Any:
        return self.runtime.settings

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self)
        return self._loaders

    async def close(self) -> None:
        """End of the operation: write the access log's views in one batch, then close."""
        try:
            await flush_views(self.runtime, self.access)
        finally:
            await super().close()

    def after_write(self) -> None:
        """Forget cached rows, after a mutation changed them."""
        self._loaders = None

    def require_viewer(self) -> Viewer:
        if self.viewer is None:
            raise DomainError.single(
                None, ErrorCode.UNAUTHENTICATED, "Vous devez être connecté(e)."
            )
        return self.viewer

    @property
    def client_ip(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"


Info = StrawberryInfo[Context, None]
