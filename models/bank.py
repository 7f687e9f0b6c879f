"""The bank or postal accounts a candidat's allowance is paid to, one row per change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin


class BankAccount(IdMixin, CreatedMixin, Base):
    """An account given by the candidat. It is the one payments go to from ``effective_at``
    until a later one takes effect; a change cancelled before then never does."""

    __tablename__ = "bank_accounts"
    __table_args__ = (
        Index("ix_bank_accounts_account_id_effective_at", "account_id", "effective_at"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    iban: Mapped[str] = mapped_column(String(34))
    bic: Mapped[str] = mapped_column(String(11))
    holder: Mapped[str] = mapped_column(String(100))
    bank_name: Mapped[str | None] = mapped_column(String(200))
    effective_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
