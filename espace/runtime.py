"""Everything the app holds for its lifetime: engine, sessions, reference data, mailer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from espace.db import create_engine, create_sessionmaker
from espace.settings import Settings
from mailer import Mailer
from refdata import ReferenceData
from resolvers.passwords import Hasher


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    refdata: ReferenceData
    hasher: Hasher
    mailer: Mailer

    @classmethod
    def create(cls, settings: Settings, refdata: ReferenceData | None = None) -> Runtime:
        engine = create_engine(settings)
        sessionmaker = create_sessionmaker(engine)
        return cls(
            settings=settings,
            engine=engine,
            sessionmaker=sessionmaker,
            refdata=refdata or ReferenceData.load(),
            hasher=Hasher(
                settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
            ),
            mailer=Mailer(settings, sessionmaker),
        )

    async def start(self) -> None:
        if self.settings.outbox_enabled:
            await self.mailer.start()

    async def close(self) -> None:
        await self.mailer.stop()
        await self.engine.dispose()
