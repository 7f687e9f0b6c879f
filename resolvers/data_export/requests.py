"""Asking for an export (``dataExportRequest``) and listing the account's requests
(``viewer.dataExports``).

At most one request in progress per account, and ``data_export_daily_limit`` requests in
any 24 hours. On PostgreSQL the checks and the insert are serialised per account by an
advisory lock (SQLite's write transactions are serial already), so two requests at once
never both pass. The link goes by mail: an account without a confirmed address is refused
(NO_EMAIL) rather than left with an archive it could never download.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.data_export import DataExport, ExportStatus
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.identity.fields import french_datetime, notice_addresses

IN_PROGRESS = (ExportStatus.PENDING.value, ExportStatus.PREPARING.value)
DAY = timedelta(hours=24)


async def _serialise(session: AsyncSession, account_id: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"data_export:{account_id}"},
        )


async def request_export(session: AsyncSession, runtime: Runtime, account: Account) -> DataExport:
    """Queue an export of the account's data (in the caller's transaction); the worker
    prepares it once this commits."""
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            None,
            ErrorCode.WRONG_ACCOUNT_KIND,
            "L'export des données est proposé aux comptes candidat.",
        )
    now = runtime.clock.now()
    await _serialise(session, account.id)
    busy = await session.scalar(
        select(DataExport.id).where(
            DataExport.account_id == account.id, DataExport.status.in_(IN_PROGRESS)
        )
    )
    if busy is not None:
        raise DomainError.single(
            None,
            ErrorCode.EXPORT_IN_PROGRESS,
            "Un export de vos données est déjà en préparation : vous recevrez un e-mail dès "
            "qu'il sera prêt.",
        )
    recent = (
        await session.scalars(
            select(DataExport.created_at)
            .where(DataExport.account_id == account.id, DataExport.created_at > now - DAY)
            .order_by(DataExport.created_at)
        )
    ).all()
    limit = runtime.settings.data_export_daily_limit
    if len(recent) >= limit:
        again = recent[-limit] + DAY
        raise DomainError.single(
            None,
            ErrorCode.THROTTLED,
            f"Vous avez déjà demandé {limit} export(s) de vos données en 24 heures : "
            f"réessayez {french_datetime(again)}.",
        )
    if not await notice_addresses(session, account):
        raise DomainError.single(
            None,
            ErrorCode.NO_EMAIL,
            "Le lien de téléchargement est envoyé par e-mail : confirmez d'abord l'adresse "
            "e-mail de votre dossier.",
        )
    row = DataExport(
        account_id=account.id, status=ExportStatus.PENDING.value, attempts=0, created_at=now
    )
    session.add(row)
    await session.flush()
    return row


def exports_select(account_id: int) -> Select[DataExport]:
    """The account's requests (keyset-paged by id, newest first)."""
    return select(DataExport).where(DataExport.account_id == account_id)


async def exports_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, DataExport]:
    if not ids:
        return {}
    rows = await session.scalars(
        select(DataExport).where(DataExport.id.in_(ids), DataExport.account_id == account_id)
    )
    return {row.id: row for row in rows.all()}


async def export_count(session: AsyncSession, account_id: int) -> int:
    found = await session.scalar(
        select(func.count()).select_from(DataExport).where(DataExport.account_id == account_id)
    )
    return int(found or 0)


def shown_status(row: DataExport, now: datetime) -> str:
    """The status as the candidat sees it: a ready archive past its link's date is expired."""
    if row.status == ExportStatus.READY and row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return row.status
