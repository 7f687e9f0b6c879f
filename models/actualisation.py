"""Monthly declarations (actualisation): the windows, each declaration with its corrections,
and the supporting documents."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, IdMixin


class ActualisationWindow(IdMixin, Base):
    """When the declaration of one month (``period``, its first day) can be made.

    Filled by the default rule (28th, 26th in February, to the 15th of the next month, Paris
    time) when first needed; an operator may change it. The ``*_done_at`` columns record
    that the scheduler's reminders and cessations for the window were made."""

    __tablename__ = "actualisation_windows"

    period: Mapped[date] = mapped_column(unique=True)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]  # exclusive
    opening_reminded_at: Mapped[datetime | None]
    closing_reminded_at: Mapped[datetime | None]
    ceased_at: Mapped[datetime | None]


class Actualisation(IdMixin, Base):
    """The declaration of one month by one candidat, as last corrected."""

    __tablename__ = "actualisations"
    __table_args__ = (
        UniqueConstraint("account_id", "period"),
        Index("ix_actualisations_period", "period"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    period: Mapped[date]
    number: Mapped[str] = mapped_column(String(40), unique=True)
    version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_submitted_at: Mapped[datetime]
    submitted_at: Mapped[datetime]


class ActualisationVersion(IdMixin, Base):
    """Every version of a declaration (the first and each correction), kept as history."""

    __tablename__ = "actualisation_versions"
    __table_args__ = (UniqueConstraint("actualisation_id", "version"),)

    actualisation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("actualisations.id", ondelete="CASCADE")
    )
    version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime]


class DocumentStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"


class SupportingDocument(IdMixin, Base):
    """A supporting document (payslip, certificate…) sent by a candidat; the bytes live in
    the file storage under ``storage_key``."""

    __tablename__ = "supporting_documents"
    __table_args__ = (Index("ix_supporting_documents_account_id_id", "account_id", "id"),)

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    period: Mapped[date | None]
    code: Mapped[str] = mapped_column(String(8))
    storage_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(500))
    decided_by: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
