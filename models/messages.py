"""Messages: conversations, their messages and attachments, and per-reader read markers.

- A conversation is between a candidat and either their agency (any adviser of
  ``agency_id`` reads and answers it), an employer (about an application or a proposal,
  the ``subject``), or the site itself (system messages, which cannot be answered).
- Read state is one marker per reader and conversation: every message with an id up to
  ``last_read_message_id`` is read. Unread counts are then one SQL query (messages after
  the marker, not written by the reader), and a conversation is unread when its
  ``last_message_id`` is past the marker.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class ConversationKind(StrEnum):
    """Who the candidat talks with."""

    ADVISER = "ADVISER"
    EMPLOYER = "EMPLOYER"
    SYSTEM = "SYSTEM"


class Topic(StrEnum):
    """What a question to the adviser is about (ADVISER conversations)."""

    INDEMNISATION = "INDEMNISATION"
    ACTUALISATION = "ACTUALISATION"
    DOCUMENTS = "DOCUMENTS"
    INSCRIPTION = "INSCRIPTION"
    RECHERCHE_EMPLOI = "RECHERCHE_EMPLOI"
    AUTRE = "AUTRE"


class SubjectType(StrEnum):
    """What an employer conversation is about."""

    APPLICATION = "application"
    PROPOSAL = "proposal"


class Conversation(IdMixin, CreatedMixin, Base):
    """A thread of messages. ``last_message_id`` orders lists by latest activity."""

    __tablename__ = "conversations"
    __table_args__ = (
        # Each reader's list, newest activity first (keyset on last_message_id).
        Index("ix_conversations_candidat_id_last_message_id", "candidat_id", "last_message_id"),
        Index("ix_conversations_employer_id_last_message_id", "employer_id", "last_message_id"),
        Index("ix_conversations_agency_id_last_message_id", "agency_id", "last_message_id"),
    )

    kind: Mapped[str] = mapped_column(String(10))
    candidat_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    employer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE")
    )
    agency_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("agencies.id", ondelete="SET NULL")
    )
    subject_type: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column(BigId)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(20))
    last_message_id: Mapped[int | None] = mapped_column(BigId)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(IdMixin, CreatedMixin, Base):
    """One message; ``author_id`` is None for the site's own (system) messages."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
        Index("ix_messages_author_id", "author_id"),
    )

    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)


class ConversationRead(Base):
    """How far one reader has read one conversation."""

    __tablename__ = "conversation_reads"
    __table_args__ = (Index("ix_conversation_reads_account_id", "account_id"),)

    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_message_id: Mapped[int] = mapped_column(BigId)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageAttachment(IdMixin, CreatedMixin, Base):
    """A PDF attached to a message; the bytes live in the file storage under ``storage_key``."""

    __tablename__ = "message_attachments"

    message_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int]
