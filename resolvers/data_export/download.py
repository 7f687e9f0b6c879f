"""Taking an archive through its link: the link's token and the bearer token must be of
the same account; the first download consumes the link (one conditional UPDATE) and the
archive leaves the file storage."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.data_export import DataExport, ExportStatus
from resolvers.core.tokens import hash_token


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Taken:
    """The archive's bytes and the key to remove once the transaction has committed."""

    data: bytes
    key: str
    name: str


async def take_archive(
    session: AsyncSession, runtime: Runtime, account_id: int, token: str
) -> Taken | Refusal:
    """In the caller's write transaction: the archive, or why it is refused. Another
    account's link is not found, whatever its state."""
    now = runtime.clock.now()
    row = await session.scalar(
        select(DataExport).where(
            DataExport.token_hash == hash_token(runtime.settings.secret_key, token)
        )
    )
    if row is None or row.account_id != account_id:
        return Refusal.NOT_FOUND
    if row.downloaded_at is not None:
        return Refusal.USED
    if row.expires_at is None or row.expires_at <= now or row.archive_key is None:
        return Refusal.EXPIRED
    key, ready_at = row.archive_key, row.ready_at  # the UPDATE below refreshes ``row``
    data = await runtime.storage.get(key)
    if data is None:
        return Refusal.NOT_FOUND
    consumed = await session.execute(
        update(DataExport)
        .where(DataExport.id == row.id, DataExport.downloaded_at.is_(None))
        .values(downloaded_at=now, status=ExportStatus.DOWNLOADED.value, archive_key=None)
        .returning(DataExport.id)
    )
    if consumed.first() is None:
        return Refusal.USED
    name = f"mes-donnees-espace-candidat-{(ready_at or now):%Y-%m-%d}.zip"
    return Taken(data, key, name)
