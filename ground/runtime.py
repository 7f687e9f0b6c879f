"""Everything the app holds for its lifetime: engine, sessions, reference data, mailer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from ground.broker import Broker, create_broker
from ground.clock import Clock
from ground.db import ReadSession, create_engine, create_read_sessionmaker, create_sessionmaker
from ground.notifications import take_pending
from ground.passwords import Hasher
from ground.session_cache import CHANNEL, MESSAGE_TYPE, SessionCache, take_changed
from ground.settings import Settings
from ground.sign_in_limits import SignInLimits
from ground.storage import FileStorage, LocalFileStorage
from mailer import Mailer
from refdata import ReferenceData

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    read_sessionmaker: async_sessionmaker[ReadSession]
    refdata: ReferenceData
    hasher: Hasher
    mailer: Mailer
    broker: Broker
    storage: FileStorage
    sign_in_limits: SignInLimits
    # What domain code reads as "now"; tests pin and move it (ground.clock).
    clock: Clock = field(default_factory=Clock)
    # Per-runtime registries of the domains (e.g. the attestations' fact sources), keyed by
    # domain: ground knows nothing of their types.
    plugins: dict[str, object] = field(default_factory=dict)
    # Bearer-token session checks kept a few seconds (ground.session_cache); set by create().
    session_cache: SessionCache = field(default_factory=lambda: SessionCache(0))
    _lifetime: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)
    _publishing: set[asyncio.Task[None]] = field(default_factory=set)

    @classmethod
    def create(cls, settings: Settings, refdata: ReferenceData | None = None) -> Runtime:
        engine = create_engine(settings)
        holder: list[weakref.ref[Runtime]] = []

        def on_commit(session: Session) -> None:
            # A weak reference: SQLAlchemy's event registry must not keep the runtime alive.
            runtime = holder[0]() if holder else None
            if runtime is not None:
                runtime.after_commit(session)

        sessionmaker = create_sessionmaker(engine, on_commit)
        runtime = cls(
            settings=settings,
            engine=engine,
            sessionmaker=sessionmaker,
            read_sessionmaker=create_read_sessionmaker(engine),
            refdata=refdata or ReferenceData.load(),
            hasher=Hasher(
                settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
            ),
            mailer=Mailer(settings, sessionmaker),
            broker=create_broker(settings.redis_url, settings.redis_prefix),
            storage=LocalFileStorage(settings.upload_dir),
            sign_in_limits=SignInLimits(
                settings.login_client_limit,
                settings.login_global_limit,
                settings.redis_url,
                settings.redis_prefix,
            ),
        )
        runtime.session_cache = SessionCache(settings.session_cache_seconds)
        holder.append(weakref.ref(runtime))
        return runtime

    def after_commit(self, session: Session) -> None:
        """Publish what the committed transaction queued (events, revocations, news); drop
        the cached session checks of the accounts it changed, here at once and elsewhere
        through the broker."""
        pending = take_pending(session)
        changed = take_changed(session)
        if changed:
            self.session_cache.drop_accounts(changed)
            message = {"type": MESSAGE_TYPE, "account_ids": sorted(changed)}
            pending.append((CHANNEL, message))
        if not pending:
            return
        self.background(self._publish(pending))

    def background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run bookkeeping after the caller is done; awaited at shutdown, never lost early."""
        task = asyncio.get_running_loop().create_task(work)
        self._publishing.add(task)
        task.add_done_callback(self._publishing.discard)

    async def _publish(self, pending: list[tuple[str, dict[str, Any]]]) -> None:
        for channel, message in pending:
            try:
                await self.broker.publish(channel, message)
            except Exception:  # subscribers re-sync from the log; never fail the writer
                log.exception("publishing on %s failed", channel)

    async def start(self) -> None:
        await self.broker.start()
        await self._lifetime.enter_async_context(
            self.broker.subscribe(CHANNEL, listener=self.session_cache.on_message)
        )
        if self.settings.outbox_enabled:
            await self.mailer.start()

    async def close(self) -> None:
        await self.mailer.stop()
        if self._publishing:
            await asyncio.gather(*self._publishing, return_exceptions=True)
        await self._lifetime.aclose()
        await self.broker.close()
        await self.sign_in_limits.close()
        await self.engine.dispose()
