"""Mail: templates, the transactional outbox and its SMTP worker."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from espace.settings import Settings


class Mailer:  # placeholder until the outbox lands
    def __init__(self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker

    async def enqueue(
        self, session: AsyncSession, *, to: str, template: str, context: dict[str, Any]
    ) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        pass

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass
