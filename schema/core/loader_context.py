"""What a DataLoader needs of the request context, as a Protocol.

The context (``schema.core.context.Context``) builds the loaders; the loaders only read
through it. Typing them against this Protocol keeps the imports one way.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.identity.sessions import Viewer


class LoaderContext(Protocol):
    """The viewer and the request's read session."""

    @property
    def viewer(self) -> Viewer | None: ...

    def read_session(self) -> AsyncSession: ...
