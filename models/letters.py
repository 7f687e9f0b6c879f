"""Letters (« Mes courriers »): what an adviser or the system sends a candidat.

A letter is a document: what it says is frozen when it is issued (``facts``: the agency's and
the candidat's addresses, the text, the dates), and its PDF is rendered from that snapshot,
so a later move or a renamed agency never changes a letter already sent.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin


class LetterKind(StrEnum):
    """The kinds of letter the agency sends."""

    CONVOCATION = "CONVOCATION"
    NOTIFICATION_DROITS = "NOTIFICATION_DROITS"
    AVIS_PAIEMENT = "AVIS_PAIEMENT"
    DEMANDE_PIECES = "DEMANDE_PIECES"
    CESSATION_INSCRIPTION = "CESSATION_INSCRIPTION"


class Letter(IdMixin, CreatedMixin, Base):
    """One letter to one candidat; unread until ``read_at`` (its first download)."""

    __tablename__ = "letters"
    __table_args__ = (Index("ix_letters_account_id_id", "account_id", "id"),)

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("agencies.id", ondelete="SET NULL")
    )
    issued_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    read_at: Mapped[datetime | None]
