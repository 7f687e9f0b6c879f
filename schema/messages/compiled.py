"""How conversations and messages map to tables, for the compiled reads
(``schema.core.compiled``): a candidat's own conversations, latest activity first, with
their unread counts and pages of messages, as ``schema.messages.types`` reads them.

Read state is the viewer's marker (``ConversationRead``), counted as
``resolvers.messages.queries`` counts it. Employers and advisers read conversations by
other rules (``visible``): their requests run through the interpreter (``kinds``).
Attachments and a message's conversation need the interpreter."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from models.identity import Account, AccountKind
from models.messages import Conversation, ConversationKind, ConversationRead, Message
from schema.core.compiled.declare import Computed, Many, NodeId, Table, ToOne, Value, viewer_id
from schema.messages.types import AUTHOR_KINDS, MessageAuthorKind, subject_global_id
from schema.proposals.compiled import cursor_of

CANDIDAT = AccountKind.CANDIDAT.value


def marker_of(conversation_id: Any) -> ColumnElement[int | None]:
    """The last message id the viewer has read in a conversation (null: none)."""
    marker = aliased(ConversationRead)
    found = select(marker.last_read_message_id).where(
        marker.conversation_id == conversation_id, marker.account_id == viewer_id()
    )
    return found.scalar_subquery()


def from_viewer(m: Any) -> ColumnElement[bool]:
    """False for the site's messages (no author), not null."""
    found: ColumnElement[bool] = m.author_id.is_not_distinct_from(viewer_id())
    return found


def _read(_runtime: Any, author: int | None, viewer: int, message: int, marker: int | None) -> bool:
    """``Message.read``: the viewer wrote it, or their marker is at it or past it. In the
    post-pass: as a condition under two lists, SQLite's parser finds it too deep."""
    return author == viewer or message <= (marker or 0)


def unread_count(c: Any) -> ColumnElement[int]:
    """``unread_counts``: messages past the viewer's marker that the viewer did not write
    (the marker joined, as there: a marker subquery nested in the count did not correlate
    with ``c`` and counted wrong)."""
    m, r = aliased(Message), aliased(ConversationRead)
    marker = func.coalesce(r.last_read_message_id, 0)
    found = (
        select(func.count(m.id))
        .select_from(m)
        .outerjoin(r, and_(r.conversation_id == m.conversation_id, r.account_id == viewer_id()))
        .where(
            m.conversation_id == c.id,
            c.last_message_id > marker,
            m.id > marker,
            or_(m.author_id.is_(None), m.author_id != viewer_id()),
        )
    )
    return found.scalar_subquery()


def _author(m: Any, column: Any) -> ColumnElement[Any]:
    author = aliased(Account)
    return select(column(author)).where(author.id == m.author_id).scalar_subquery()


def _author_kind(m: Any) -> ColumnElement[str]:
    """SYSTEM without an author (the site's, or a deleted account's)."""
    kinds = {kind.value: AUTHOR_KINDS[kind].value for kind in AccountKind}
    named = _author(m, lambda a: case(kinds, value=a.kind))
    return func.coalesce(named, MessageAuthorKind.SYSTEM.value)


def _author_name(m: Any) -> ColumnElement[str | None]:
    """The name of an employer or adviser; null for candidats and the site."""
    return _author(m, lambda a: case((a.kind != CANDIDAT, a.display_name), else_=None))


def _subject_id(_runtime: Any, subject_type: str | None, subject_id: int | None) -> str | None:
    found = subject_global_id(subject_type, subject_id)
    return str(found) if found is not None else None


MESSAGE = Table(
    Message,
    {
        "id": NodeId(),
        "body": Value(lambda t: t.body),
        "createdAt": Value(lambda t: t.created_at),
        "cursor": Computed((lambda t: t.id,), cursor_of),
        "authorKind": Value(_author_kind),
        "authorName": Value(_author_name),
        "fromViewer": Value(from_viewer),
        "read": Computed(
            (
                lambda t: t.author_id,
                lambda _t: viewer_id(),
                lambda t: t.id,
                lambda t: marker_of(t.conversation_id),
            ),
            _read,
        ),
    },
    owned=False,  # reached only through its conversation, which is the candidat's own
)

CONVERSATION_MESSAGES = Many(
    "Message", key=lambda m: m.id, descending=True, link=lambda m, c: m.conversation_id == c.id
)
"""``Conversation.messages``, newest first."""

CONVERSATION = Table(
    Conversation,
    {
        "id": NodeId(),
        "kind": Value(lambda t: t.kind),
        "title": Value(lambda t: t.title),
        "createdAt": Value(lambda t: t.created_at),
        "lastMessageAt": Value(lambda t: t.last_message_at),
        "topic": Value(lambda t: func.nullif(t.topic, "")),
        "canReply": Value(lambda t: t.kind != ConversationKind.SYSTEM.value),
        "subjectId": Computed((lambda t: t.subject_type, lambda t: t.subject_id), _subject_id),
        "agency": ToOne(lambda t: t.agency_id),
        "unreadCount": Value(unread_count),
        "messages": CONVERSATION_MESSAGES,
    },
)

VIEWER_CONVERSATIONS = Many(
    "Conversation",
    key=lambda c: c.last_message_id,
    descending=True,
    gate=lambda v: v.kind == CANDIDAT,
    filters={"unreadOnly": lambda c: c.last_message_id > func.coalesce(marker_of(c.id), 0)},
    kinds=frozenset({CANDIDAT}),
)
"""``viewer.conversations``: a candidat's own, latest activity first (``unreadOnly``: those
with messages past the viewer's marker); other kinds of account: the interpreter."""

TABLES = {"Conversation": CONVERSATION, "Message": MESSAGE}
