"""Agenda (« Mon agenda »): appointments with an adviser, and the private calendar feed.

An appointment belongs to one candidat and is set by an adviser of the candidat's agency.
``reminded_at`` records the reminder mail sent 48 h before, so each is sent once whichever
scheduler process claims the slot.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class Modality(StrEnum):
    """How the appointment takes place."""

    AGENCE = "AGENCE"
    TELEPHONE = "TELEPHONE"
    VISIO = "VISIO"


class AppointmentStatus(StrEnum):
    """Where an appointment stands."""

    SCHEDULED = "SCHEDULED"
    CONFIRMED = "CONFIRMED"
    RESCHEDULE_REQUESTED = "RESCHEDULE_REQUESTED"
    CANCELLED = "CANCELLED"


class Appointment(IdMixin, CreatedMixin, Base):
    """A rendez-vous between a candidat and an adviser of their agency."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_account_id_starts_at", "account_id", "starts_at"),
        Index("ix_appointments_reminder", "reminded_at", "starts_at"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id", ondelete="CASCADE"))
    adviser_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    adviser_name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int]
    modality: Mapped[str] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(500))
    comment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default=AppointmentStatus.SCHEDULED)
    candidat_note: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(IdMixin, CreatedMixin, Base):
    """The private calendar feed of one candidat: only the HMAC of its token is kept;
    a new feed revokes the previous one."""

    __tablename__ = "calendar_feeds"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None]


class Workshop(IdMixin, CreatedMixin, Base):
    """A workshop or job event of an agency (« Événements »), with a number of places."""

    __tablename__ = "workshops"
    __table_args__ = (Index("ix_workshops_agency_id_starts_at", "agency_id", "starts_at"),)

    agency_id: Mapped[int] = mapped_column(BigId, ForeignKey("agencies.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int]
    address: Mapped[str] = mapped_column(String(300))
    places: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)


class WorkshopRegistration(Base):
    """A candidat registered to a workshop."""

    __tablename__ = "workshop_registrations"
    __table_args__ = (Index("ix_workshop_registrations_account_id", "account_id"),)

    workshop_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
