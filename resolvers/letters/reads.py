"""Reading letters: the candidat's list (newest first), one letter, and the download that
marks it read. A letter is the candidat's alone; anyone else gets NOT_FOUND."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.letters import Letter
from resolvers.core.owners import owned_by

MAX_ID = 2**63 - 1


def letters_select(account_id: int, unread_only: bool) -> Select[Letter]:
    """The candidat's letters, only unread ones with ``unread_only`` (keyset-paged by id)."""
    stmt = select(Letter).where(owned_by(Letter, account_id))
    if unread_only:
        stmt = stmt.where(Letter.read_at.is_(None))
    return stmt


async def unread_count(session: AsyncSession, account_id: int) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(Letter)
        .where(owned_by(Letter, account_id), Letter.read_at.is_(None))
    )
    return int(found or 0)


async def letters_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, Letter]:
    """The account's letters among ``ids`` (others' are simply absent)."""
    if not ids:
        return {}
    rows = await session.scalars(
        select(Letter).where(Letter.id.in_(ids), owned_by(Letter, account_id))
    )
    return {row.id: row for row in rows.all()}


async def open_letter(
    session: AsyncSession, account_id: int, letter_id: int, now: datetime
) -> Letter | None:
    """The candidat's letter, marked read by this download (the first read is kept)."""
    letter = await session.scalar(
        select(Letter).where(Letter.id == letter_id, owned_by(Letter, account_id))
    )
    if letter is None:
        return None
    if letter.read_at is None:
        await session.execute(
            update(Letter)
            .where(Letter.id == letter.id, Letter.read_at.is_(None))
            .values(read_at=now)
        )
        letter.read_at = now
    return letter
