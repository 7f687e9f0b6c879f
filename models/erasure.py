"""Erasure requests (RGPD art. 17): an account's deletion, due after a grace period, and
the retention notices of inactive accounts.

One row per request. Signing in during the grace period sets ``cancelled_at``; the
scheduled job erases the account once ``due_at`` has passed and sets ``done_at``. The row
then stays as the proof that the erasure was made (no identifier in it: the account row it
refers to is itself anonymized).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, IdMixin


class ErasureReason(StrEnum):
    """Why the account is erased."""

    REQUESTED = "REQUESTED"  # accountDelete
    INACTIVE = "INACTIVE"  # the retention job: no sign-in for the retention period


class ErasureRequest(IdMixin, Base):
    """One scheduled erasure of an account."""

    __tablename__ = "erasure_requests"
    __table_args__ = (
        Index("ix_erasure_requests_account_id", "account_id"),
        Index("ix_erasure_requests_due_at", "due_at"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(10))
    requested_at: Mapped[datetime]
    due_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
