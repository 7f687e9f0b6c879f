"""Changes of situation (« Signaler un changement de situation »): what a candidat declares
between two monthly declarations (work resumed, sick leave, absence, training, a move).

A row is the declaration as it was made: its dates, its details (``details``, by kind) and
the effects it had when it was recorded (``effects``: the category or state of the
registration before and after, the agency before and after a move), so that the history
reads the same whatever happens to the registration later. The payment computation reads
the dated changes (sick leave, absence, full-time work) again when it computes a month.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, IdMixin


class SituationKind(StrEnum):
    """The changes a candidat can declare."""

    WORK_RESUMED = "WORK_RESUMED"
    SICK_LEAVE = "SICK_LEAVE"
    ABSENCE = "ABSENCE"
    TRAINING = "TRAINING"
    MOVE = "MOVE"


class ContractKind(StrEnum):
    """The contract of a job taken back."""

    CDI = "CDI"
    CDD = "CDD"
    INTERIM = "INTERIM"
    SAISONNIER = "SAISONNIER"


class SituationChange(IdMixin, Base):
    """One declared change of one candidat; ``end_date`` is null for a job or a move."""

    __tablename__ = "situation_changes"
    __table_args__ = (
        Index("ix_situation_changes_account_id_id", "account_id", "id"),
        Index("ix_situation_changes_account_id_start_date", "account_id", "start_date"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    effects: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    document_code: Mapped[str | None] = mapped_column(String(8))
    letter_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("letters.id", ondelete="SET NULL")
    )
    declared_at: Mapped[datetime]
    # When the scheduler applied the end of a training (the category given back).
    ended_at: Mapped[datetime | None]
