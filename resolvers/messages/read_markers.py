"""Read markers: how far each reader has read each conversation."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.messages import ConversationRead


async def advance_marker(
    session: AsyncSession, conversation_id: int, account_id: int, message_id: int
) -> None:
    """Move the reader's marker forward to ``message_id`` (never back), race-free."""
    values = {
        "conversation_id": conversation_id,
        "account_id": account_id,
        "last_read_message_id": message_id,
        "read_at": utcnow(),
    }
    current = ConversationRead.__table__.c.last_read_message_id
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(ConversationRead).values(values)
        newer = pg.excluded.last_read_message_id
        stmt = pg.on_conflict_do_update(
            index_elements=["conversation_id", "account_id"],
            set_={
                "last_read_message_id": case((current < newer, newer), else_=current),
                "read_at": pg.excluded.read_at,
            },
        )
        await session.execute(stmt)
        return
    lite = sqlite.insert(ConversationRead).values(values)
    newer = lite.excluded.last_read_message_id
    await session.execute(
        lite.on_conflict_do_update(
            index_elements=["conversation_id", "account_id"],
            set_={
                "last_read_message_id": case((current < newer, newer), else_=current),
                "read_at": lite.excluded.read_at,
            },
        )
    )
