"""Registrations (inscription as a job seeker): the current state of each candidat and the
history of every change of state."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, IdMixin


class RegistrationState(StrEnum):
    """Where a registration stands."""

    INSCRIT = "INSCRIT"
    CESSATION_INSCRIPTION = "CESSATION_INSCRIPTION"
    RADIE = "RADIE"


class Registration(IdMixin, Base):
    """A candidat's registration; one per account. ``email`` is where its mails go."""

    __tablename__ = "registrations"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(24))
    registered_on: Mapped[date]
    category: Mapped[int]
    agency_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    adviser_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    email: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[datetime]


class RegistrationChange(IdMixin, Base):
    """One state a registration reached (the history of registrations)."""

    __tablename__ = "registration_changes"
    __table_args__ = (Index("ix_registration_changes_account_id_id", "account_id", "id"),)

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(24))
    effective_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]
