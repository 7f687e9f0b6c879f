"""The background preparation of archives, in every server process.

A request is claimed by one conditional UPDATE (``pending``, or ``preparing`` past its
lease: the process that held it died), so with several processes (or machines) on SQLite
or PostgreSQL each request is prepared once. The archive goes to the file storage; then,
in one transaction, the request becomes ``ready`` (only if this worker still holds it),
its ``DATA_EXPORT_READY`` event is recorded (pushed live after commit) and its mail with
the single-use link is queued. Expired archives are removed from the storage.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update

from ground.db import begin_write
from ground.runtime import Runtime
from mailer.worker import Worker
from models.dashboard import EventKind
from models.data_export import DataExport, ExportStatus
from models.identity import Account
from resolvers.core.tokens import hash_token, new_token
from resolvers.dashboard.events import record_event
from resolvers.data_export.archive import build_archive
from resolvers.identity.fields import french_datetime, notice_addresses

log = logging.getLogger(__name__)

PLUGIN = "data_export"
DOWNLOAD_PATH = "/donnees/export/{token}"
PURGE_BATCH = 20


class ExportWorker:
    """The loop of one process: woken after a request commits here, polling for others'."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._worker = Worker(
            self.run_once,
            poll_interval=runtime.settings.data_export_poll_seconds,
            batch_size=1,
            stop_grace=10.0,
        )

    def wake(self) -> None:
        self._worker.wake()

    async def start(self) -> None:
        await self._worker.start()

    async def stop(self) -> None:
        await self._worker.stop()

    async def run_once(self) -> int:
        """Purge expired archives, then prepare one request; returns how many (0 or 1)."""
        await purge_expired(self.runtime)
        claimed = await claim_next(self.runtime)
        if claimed is None:
            return 0
        await prepare(self.runtime, *claimed)
        return 1


def wake_worker(runtime: Runtime) -> None:
    """After a request commits: this process's worker starts on it now (if it runs one)."""
    worker = runtime.plugins.get(PLUGIN)
    if isinstance(worker, ExportWorker):
        worker.wake()


async def claim_next(runtime: Runtime) -> tuple[int, int, int] | None:
    """Take the oldest due request: (its id, its account, the attempt that holds it)."""
    now = runtime.clock.now()
    lease = now + timedelta(seconds=runtime.settings.data_export_lease_seconds)
    due = or_(
        DataExport.status == ExportStatus.PENDING.value,
        and_(DataExport.status == ExportStatus.PREPARING.value, DataExport.claimed_until < now),
    )
    async with runtime.read_sessionmaker() as reader:  # most polls: nothing, no write lock
        found = await reader.scalar(select(DataExport.id).where(due).order_by(DataExport.id))
    if found is None:
        return None
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        result = await session.execute(
            update(DataExport)
            .where(DataExport.id == found, due)
            .values(
                status=ExportStatus.PREPARING.value,
                claimed_until=lease,
                attempts=DataExport.attempts + 1,
            )
            .returning(DataExport.account_id, DataExport.attempts)
        )
        row = result.first()
    return (found, row[0], row[1]) if row is not None else None


def _held(export_id: int, attempt: int) -> ColumnElement[bool]:
    return and_(
        DataExport.id == export_id,
        DataExport.status == ExportStatus.PREPARING.value,
        DataExport.attempts == attempt,
    )


async def prepare(runtime: Runtime, export_id: int, account_id: int, attempt: int) -> None:
    """Build, store and announce one archive; a failure is retried, then marked failed."""
    try:
        data = await build_archive(runtime, account_id)
    except Exception as exc:
        log.exception("data export %s failed (attempt %s)", export_id, attempt)
        await _failed(runtime, export_id, attempt, type(exc).__name__)
        return
    key = await runtime.storage.put(data, "application/zip")
    token = new_token()
    settings = runtime.settings
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        now = runtime.clock.now()
        expires = now + timedelta(days=settings.data_export_link_days)
        result = await session.execute(
            update(DataExport)
            .where(_held(export_id, attempt))
            .values(
                status=ExportStatus.READY.value,
                claimed_until=None,
                ready_at=now,
                expires_at=expires,
                token_hash=hash_token(settings.secret_key, token),
                archive_key=key,
                archive_size=len(data),
            )
            .returning(DataExport.id)
        )
        if result.first() is None:  # another process took it over: its archive wins
            await runtime.storage.delete(key)
            return
        await record_event(
            session,
            account_id,
            EventKind.DATA_EXPORT_READY,
            {"name": "Mes données", "expiresAt": expires.isoformat()},
            subject_type="data_export",
            subject_id=export_id,
        )
        account = await session.get(Account, account_id)
        for address in await notice_addresses(session, account) if account else []:
            await runtime.mailer.enqueue(
                session,
                to=address,
                template="data_export_ready",
                context={
                    "identifiant": account.identifiant if account else None,
                    "download_url": settings.link(DOWNLOAD_PATH.format(token=token)),
                    "expires": french_datetime(expires),
                },
            )
    runtime.mailer.wake()


async def _failed(runtime: Runtime, export_id: int, attempt: int, error: str) -> None:
    final = attempt >= runtime.settings.data_export_max_attempts
    status = ExportStatus.FAILED if final else ExportStatus.PENDING
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        await session.execute(
            update(DataExport)
            .where(_held(export_id, attempt))
            .values(status=status.value, claimed_until=None, last_error=error[:300])
        )


async def purge_expired(runtime: Runtime) -> int:
    """Remove the archives whose link has expired (the request stays, without its file).
    Looked for in a read session first: most polls find nothing and take no write lock."""
    now = runtime.clock.now()
    expired = and_(
        DataExport.status == ExportStatus.READY.value,
        DataExport.expires_at <= now,
        DataExport.archive_key.is_not(None),
    )
    async with runtime.read_sessionmaker() as reader:
        found = (
            await reader.scalars(select(DataExport.id).where(expired).limit(PURGE_BATCH))
        ).all()
    if not found:
        return 0
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        rows = (
            await session.execute(
                select(DataExport.id, DataExport.archive_key).where(
                    DataExport.id.in_(found), expired
                )
            )
        ).all()
        await session.execute(
            update(DataExport)
            .where(DataExport.id.in_([r[0] for r in rows]))
            .values(archive_key=None)
        )
    for _id, key in rows:
        if key:
            await runtime.storage.delete(key)
    return len(rows)
