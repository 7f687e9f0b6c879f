"""The viewer's conversations and unread messages (viewer.conversations,
viewer.unreadMessages)."""

from __future__ import annotations

from models.messages import Conversation as ConversationModel
from resolvers.core.paging import Window, count_rows
from resolvers.messages import queries as message_queries
from schema.core.context import Info
from schema.core.paging import (
    empty_page,
    paged_connection,
)
from schema.messages.types import Conversation, ConversationConnection, viewer_reader


async def viewer_conversations(
    info: Info, asked: Window, unread_only: bool
) -> ConversationConnection:
    """``viewer.conversations``: what the viewer may read, latest activity first."""
    reader = viewer_reader(info)
    if reader is None:
        return paged_connection(
            ConversationConnection, empty_page(), Conversation.from_model, _last_message_id
        )
    session = info.context.read_session()
    stmt = message_queries.conversations_select(reader, unread_only)
    page = await message_queries.conversations_page(session, stmt, asked)
    count = lambda: count_rows(session, stmt)  # noqa: E731
    return paged_connection(
        ConversationConnection, page, Conversation.from_model, _last_message_id, count
    )


def _last_message_id(row: ConversationModel) -> int:
    return row.last_message_id or 0


async def viewer_unread_messages(info: Info, account_id: int) -> int:
    """``Dashboard.unreadMessages``: one count query for the signed-in account."""
    reader = viewer_reader(info)
    if reader is None or reader.account_id != account_id:
        return 0
    return await message_queries.unread_count(info.context.read_session(), reader)
