"""Télécandidatures: a candidat applies to an offer with a CV; the employer moves it on.

SENT -> VIEWED -> IN_PROGRESS -> ACCEPTED | REFUSED (the employer); WITHDRAWN (the candidat,
from SENT, VIEWED or IN_PROGRESS). Each change is one ``ApplicationChange`` row.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class ApplicationStatus(StrEnum):
    """Where an application stands."""

    SENT = "SENT"
    VIEWED = "VIEWED"
    IN_PROGRESS = "IN_PROGRESS"
    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"
    WITHDRAWN = "WITHDRAWN"


class Actor(StrEnum):
    """Who made a change."""

    CANDIDAT = "CANDIDAT"
    EMPLOYER = "EMPLOYER"


class Application(IdMixin, CreatedMixin, Base):
    """One candidat's application to one offer (once per offer). The id orders the lists."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("account_id", "offer_id"),
        Index("ix_applications_employer_id_id", "employer_id", "id"),
        Index("ix_applications_offer_id_id", "offer_id", "id"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    cv_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("cvs.id", ondelete="SET NULL"), index=True
    )
    offer_id: Mapped[int] = mapped_column(BigId, ForeignKey("offers.id", ondelete="CASCADE"))
    # The offer's employer, kept here so that their list needs no join.
    employer_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=ApplicationStatus.SENT.value)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the applicant was erased, or by the retention job: the employer then sees
    # « candidat supprimé » instead of the dossier's name and contact.
    anonymized_at: Mapped[datetime | None]


class ApplicationChange(IdMixin, Base):
    """One status an application reached: when, by whom, with an optional message."""

    __tablename__ = "application_changes"
    __table_args__ = (Index("ix_application_changes_application_id_id", "application_id", "id"),)

    application_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("applications.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(10))
    message: Mapped[str | None] = mapped_column(Text)
