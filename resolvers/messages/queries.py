"""Reading messages: pages, batches for DataLoaders, unread counts, the received log.

"Received" by an account: a message of a conversation it may read (``visible``) that it
did not write. Its ids are the cursor of ``messageReceived``; ``resolvers.messages.conversations``
makes each reader's received messages commit in id order, so the log is gap-free.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from models.identity import Account, AccountKind
from models.messages import (
    Conversation,
    ConversationKind,
    ConversationRead,
    Message,
    MessageAttachment,
)
from resolvers.core.paging import KeysetPage, Window, keyset_page, windows_per_group
from resolvers.messages.conversations import Reader, visible

MAX_ID = 2**63 - 1
CHUNK = 5000
S = TypeVar("S", bound="Select[*tuple[Any, ...]]")


def _not_by(account: int | QueryableAttribute[Any]) -> ColumnElement[bool]:
    """Messages not written by ``account`` (system messages included)."""
    return or_(Message.author_id.is_(None), Message.author_id != account)


def with_read_marker(stmt: S, reader: Reader) -> S:
    return stmt.outerjoin(
        ConversationRead,
        and_(
            ConversationRead.conversation_id == Conversation.id,
            ConversationRead.account_id == reader.account_id,
        ),
    )


def unread_message_filter(reader: Reader) -> ColumnElement[bool]:
    marker = func.coalesce(ConversationRead.last_read_message_id, 0)
    return and_(
        visible(reader),
        Conversation.last_message_id > marker,
        Message.id > marker,
        _not_by(reader.account_id),
    )


def conversations_select(reader: Reader, unread_only: bool) -> Select[Conversation]:
    """The conversations the reader may read (only those with unread messages, if asked)."""
    stmt = select(Conversation).where(visible(reader))
    if unread_only:
        stmt = with_read_marker(stmt, reader).where(
            Conversation.last_message_id > func.coalesce(ConversationRead.last_read_message_id, 0)
        )
    return stmt


async def conversations_page(
    session: AsyncSession, stmt: Select[Conversation], window: Window
) -> KeysetPage:
    """Newest activity first; keyset on ``last_message_id`` (unique: one message, one
    conversation)."""
    return await keyset_page(session, stmt, Conversation.last_message_id, True, window)


async def message_windows(
    session: AsyncSession, _account_id: int, conversation_ids: Sequence[int], window: Window
) -> dict[int, KeysetPage]:
    """Any window of each conversation's messages, newest first, in one statement
    (visibility is the caller's check, on the conversation)."""
    stmt = select(Message).where(Message.conversation_id.in_(conversation_ids))
    return await windows_per_group(
        session, stmt, Message, Message.conversation_id, Message.id, True, conversation_ids, window
    )


def all_messages(_account_id: int) -> Select[Message]:
    """Every message (``totalCount`` groups them by conversation, already checked)."""
    return select(Message)


async def messages_page(
    session: AsyncSession, conversation_id: int, before: int | None, limit: int
) -> tuple[Sequence[Message], bool]:
    """Newest first (the latest page, then older ones); visibility is the caller's check."""
    stmt = select(Message).where(Message.conversation_id == conversation_id)
    if before is not None:
        stmt = stmt.where(Message.id < min(before, MAX_ID))
    rows = (await session.scalars(stmt.order_by(Message.id.desc()).limit(limit + 1))).all()
    return rows[:limit], len(rows) > limit


async def messages_pages(
    session: AsyncSession, conversation_ids: Sequence[int], before: int | None, limit: int
) -> dict[int, tuple[Sequence[Message], bool]]:
    """``messages_page`` of several conversations at once (one query: a window function
    numbers each conversation's messages, newest first)."""
    if len(conversation_ids) == 1:
        [only] = conversation_ids
        return {only: await messages_page(session, only, before, limit)}
    rank = (
        func.row_number()
        .over(partition_by=Message.conversation_id, order_by=Message.id.desc())
        .label("rank")
    )
    ranked = select(Message.id.label("id"), rank).where(
        Message.conversation_id.in_(conversation_ids)
    )
    if before is not None:
        ranked = ranked.where(Message.id < min(before, MAX_ID))
    sub = ranked.subquery()
    stmt = (
        select(Message)
        .join(sub, sub.c.id == Message.id)
        .where(sub.c.rank <= limit + 1)
        .order_by(Message.conversation_id, Message.id.desc())
    )
    found: dict[int, list[Message]] = {i: [] for i in conversation_ids}
    for row in (await session.scalars(stmt)).all():
        found[row.conversation_id].append(row)
    return {i: (rows[:limit], len(rows) > limit) for i, rows in found.items()}


def unread_count_select(reader: Reader) -> Select[int]:
    """How many unread messages the reader has, in every conversation it may read."""
    return with_read_marker(
        select(func.count(Message.id))
        .select_from(Message)
        .join(Conversation, Conversation.id == Message.conversation_id),
        reader,
    ).where(unread_message_filter(reader))


async def unread_count(session: AsyncSession, reader: Reader) -> int:
    """Unread messages of every conversation the reader may read: one query."""
    return int(await session.scalar(unread_count_select(reader)) or 0)


async def unread_counts(
    session: AsyncSession, reader: Reader, conversation_ids: Sequence[int]
) -> dict[int, int]:
    """Unread messages per conversation (absent: none), one query per batch."""
    if not conversation_ids:
        return {}
    stmt = (
        with_read_marker(
            select(Conversation.id, func.count(Message.id))
            .select_from(Message)
            .join(Conversation, Conversation.id == Message.conversation_id),
            reader,
        )
        .where(Conversation.id.in_(conversation_ids), unread_message_filter(reader))
        .group_by(Conversation.id)
    )
    return {int(c): int(n) for c, n in (await session.execute(stmt)).all()}


async def read_markers(
    session: AsyncSession, account_id: int, conversation_ids: Sequence[int]
) -> dict[int, int]:
    """How far ``account_id`` has read each conversation (absent: nothing read)."""
    if not conversation_ids:
        return {}
    rows = await session.execute(
        select(ConversationRead.conversation_id, ConversationRead.last_read_message_id).where(
            ConversationRead.account_id == account_id,
            ConversationRead.conversation_id.in_(conversation_ids),
        )
    )
    return {int(c): int(m) for c, m in rows.all()}


async def conversations_by_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, Conversation]:
    if not ids:
        return {}
    rows = (await session.scalars(select(Conversation).where(Conversation.id.in_(ids)))).all()
    return {c.id: c for c in rows}


async def messages_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Message]:
    if not ids:
        return {}
    rows = (await session.scalars(select(Message).where(Message.id.in_(ids)))).all()
    return {m.id: m for m in rows}


async def accounts_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Account]:
    if not ids:
        return {}
    rows = (await session.scalars(select(Account).where(Account.id.in_(ids)))).all()
    return {a.id: a for a in rows}


async def attachments_by_message_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[MessageAttachment]]:
    found: dict[int, list[MessageAttachment]] = {}
    if not ids:
        return found
    stmt = (
        select(MessageAttachment)
        .where(MessageAttachment.message_id.in_(ids))
        .order_by(MessageAttachment.id)
    )
    for row in (await session.scalars(stmt)).all():
        found.setdefault(row.message_id, []).append(row)
    return found


async def readers(session: AsyncSession, account_ids: Collection[int]) -> dict[int, Reader]:
    rows = await session.execute(
        select(Account.id, Account.kind, Account.agency_id).where(Account.id.in_(account_ids))
    )
    return {int(i): Reader(int(i), k, a) for i, k, a in rows.all()}


async def received_after(
    session: AsyncSession, account_id: int, after_id: int, limit: int
) -> Sequence[Message]:
    """Oldest first: the messages the account received after ``after_id`` (live log)."""
    reader = (await readers(session, [account_id])).get(account_id)
    if reader is None:
        return []
    stmt = (
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(visible(reader), Message.id > min(after_id, MAX_ID), _not_by(account_id))
        .order_by(Message.id)
        .limit(limit)
    )
    return (await session.scalars(stmt)).all()


async def latest_received_id(session: AsyncSession, account_id: int) -> int:
    return (await latest_received_ids(session, [account_id])).get(account_id, 0)


async def latest_received_ids(
    session: AsyncSession, account_ids: Collection[int]
) -> dict[int, int]:
    """The last message each account received (periodic catch-up of live subscriptions:
    a few grouped queries per 5,000 accounts)."""
    ids = sorted(account_ids)
    latest: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        found = await readers(session, ids[start : start + CHUNK])
        by_kind: dict[str, list[int]] = {}
        for reader in found.values():
            by_kind.setdefault(reader.kind, []).append(reader.account_id)
        for kind, members in by_kind.items():
            latest.update(await _latest_of_kind(session, kind, members))
    return latest


async def _latest_of_kind(
    session: AsyncSession, kind: str, account_ids: list[int]
) -> dict[int, int]:
    stmt: Select[*tuple[Any, ...]]
    if kind == AccountKind.CONSEILLER:
        stmt = (
            select(Account.id, func.max(Message.id))
            .join(
                Conversation,
                and_(
                    Conversation.agency_id == Account.agency_id,
                    Conversation.kind == ConversationKind.ADVISER.value,
                ),
            )
            .join(Message, Message.conversation_id == Conversation.id)
            .where(Account.id.in_(account_ids), _not_by(Account.id))
            .group_by(Account.id)
        )
    else:
        column = (
            Conversation.candidat_id if kind == AccountKind.CANDIDAT else Conversation.employer_id
        )
        stmt = (
            select(column, func.max(Message.id))
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(column.in_(account_ids), _not_by(column))
            .group_by(column)
        )
    rows = await session.execute(stmt)
    return {int(a): int(m) for a, m in rows.all() if a is not None and m is not None}
