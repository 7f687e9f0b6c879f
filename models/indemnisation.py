"""Allowance rights (one row per candidat) and the payments made under them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow

RATE = Numeric(9, 2)


class RightsState(StrEnum):
    """Where the candidat's rights stand."""

    EXAMEN = "EXAMEN"
    OUVERT = "OUVERT"
    SUSPENDU = "SUSPENDU"
    EPUISE = "EPUISE"
    NON_INDEMNISE = "NON_INDEMNISE"


class AllowanceKind(StrEnum):
    """The allowance: ARE (insurance), ASS (solidarity), AREF (during training)."""

    ARE = "ARE"
    ASS = "ASS"
    AREF = "AREF"


class Source(StrEnum):
    """Who computed it: the rules module, an adviser, or the upstream import."""

    RULES = "rules"
    ADVISER = "adviser"
    IMPORT = "import"


class PaymentStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    PAID = "PAID"


class Rights(IdMixin, CreatedMixin, Base):
    """The candidat's current rights. ``days_deferred`` sums the unpaid days that pushed the
    end of rights back."""

    __tablename__ = "indemnisation_rights"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    agency_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    daily_net_rate: Mapped[Decimal] = mapped_column(RATE)
    reference_salary_cents: Mapped[int | None]  # None: unknown (imported rights), no cap
    start_date: Mapped[date | None]
    days_granted: Mapped[int] = mapped_column(default=0)
    days_left: Mapped[int] = mapped_column(default=0)
    days_deferred: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(10))
    opened_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Payment(IdMixin, CreatedMixin, Base):
    """One payment. Computed ones keep every step of the computation; imported ones keep
    the upstream split (allocations, aides, autres). ``key`` deduplicates: ``rules:YYYY-MM``
    for a computed month, ``import:<date>:<cents>`` for an imported payment."""

    __tablename__ = "indemnisation_payments"
    __table_args__ = (
        UniqueConstraint("account_id", "key"),
        Index("ix_indemnisation_payments_account_id_paid_on", "account_id", "paid_on", "id"),
        Index("ix_indemnisation_payments_status_paid_on", "status", "paid_on"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    period: Mapped[date | None]
    paid_on: Mapped[date]
    made_at: Mapped[datetime | None]
    amount_cents: Mapped[int]
    allocations_cents: Mapped[int] = mapped_column(default=0)
    aides_cents: Mapped[int] = mapped_column(default=0)
    autres_cents: Mapped[int] = mapped_column(default=0)
    daily_net_rate: Mapped[Decimal | None] = mapped_column(RATE)
    hours_worked: Mapped[int | None]
    gross_pay_cents: Mapped[int | None]
    deducted_days: Mapped[int | None]
    payable_days: Mapped[int | None]
    base_cents: Mapped[int | None]
    activity_deduction_cents: Mapped[int | None]
    cap_cents: Mapped[int | None]
    capped: Mapped[bool | None]
    days_paid: Mapped[int | None]
    days_deferred: Mapped[int | None]
    bank_account_masked: Mapped[str | None] = mapped_column(String(60))
