"""The per-account, append-only event log behind the tableau de bord."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, IdMixin, utcnow


class Service(StrEnum):
    """The dashboard's services: each event kind counts towards one."""

    DOSSIERS = "dossiers"
    ACCOUNT = "account"
    MESSAGES = "messages"
    PROPOSALS = "proposals"
    APPLICATIONS = "applications"
    SAVED_OFFERS = "saved_offers"
    ALERTS = "alerts"
    CVS = "cvs"
    LETTERS = "letters"
    AGENDA = "agenda"
    INDEMNISATION = "indemnisation"


class EventKind(StrEnum):
    """What happened. A new kind is one line here and one line in ``SERVICE_OF``."""

    DOSSIER_CREATED = "dossier_created"
    DOSSIER_UPDATED = "dossier_updated"
    DOSSIER_DELETED = "dossier_deleted"
    EMAIL_CONFIRMED = "email_confirmed"
    EMAIL_REMOVED = "email_removed"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    SIGNED_IN = "signed_in"
    SAVED_OFFER_CHANGED = "saved_offer_changed"
    SAVED_OFFER_CLOSED = "saved_offer_closed"
    ALERT_CREATED = "alert_created"
    ALERT_MATCHED = "alert_matched"
    ALERT_UNSUBSCRIBED = "alert_unsubscribed"
    APPLICATION_SUBMITTED = "application_submitted"
    APPLICATION_STATUS_CHANGED = "application_status_changed"
    APPLICATION_WITHDRAWN = "application_withdrawn"
    PROPOSAL_RECEIVED = "proposal_received"
    PROPOSAL_ANSWERED = "proposal_answered"
    MESSAGE_RECEIVED = "message_received"
    CV_CREATED = "cv_created"
    CV_UPDATED = "cv_updated"
    CV_DELETED = "cv_deleted"
    CV_PUBLISHED = "cv_published"
    CV_UNPUBLISHED = "cv_unpublished"
    REGISTRATION_CEASED = "registration_ceased"
    REGISTRATION_RENEWED = "registration_renewed"
    REGISTRATION_STRUCK_OFF = "registration_struck_off"
    ACTUALISATION_OPENED = "actualisation_opened"
    ACTUALISATION_REMINDER = "actualisation_reminder"
    ACTUALISATION_SUBMITTED = "actualisation_submitted"
    ACTUALISATION_CORRECTED = "actualisation_corrected"
    DOCUMENT_SUBMITTED = "document_submitted"
    DOCUMENT_DECIDED = "document_decided"
    PAYMENT_MADE = "payment_made"
    BANK_ACCOUNT_CHANGED = "bank_account_changed"
    BANK_ACCOUNT_CHANGE_CANCELLED = "bank_account_change_cancelled"
    LETTER_RECEIVED = "letter_received"
    APPOINTMENT_SCHEDULED = "appointment_scheduled"
    APPOINTMENT_CHANGED = "appointment_changed"
    APPOINTMENT_REMINDER = "appointment_reminder"
    SITUATION_CHANGED = "situation_changed"
    DATA_EXPORT_READY = "data_export_ready"


SERVICE_OF: dict[EventKind, Service] = {
    EventKind.DOSSIER_CREATED: Service.DOSSIERS,
    EventKind.DOSSIER_UPDATED: Service.DOSSIERS,
    EventKind.DOSSIER_DELETED: Service.DOSSIERS,
    EventKind.EMAIL_CONFIRMED: Service.DOSSIERS,
    EventKind.EMAIL_REMOVED: Service.DOSSIERS,
    EventKind.PASSWORD_CHANGED: Service.ACCOUNT,
    EventKind.PASSWORD_RESET: Service.ACCOUNT,
    EventKind.SIGNED_IN: Service.ACCOUNT,
    EventKind.SAVED_OFFER_CHANGED: Service.SAVED_OFFERS,
    EventKind.SAVED_OFFER_CLOSED: Service.SAVED_OFFERS,
    EventKind.ALERT_CREATED: Service.ALERTS,
    EventKind.ALERT_MATCHED: Service.ALERTS,
    EventKind.ALERT_UNSUBSCRIBED: Service.ALERTS,
    EventKind.APPLICATION_SUBMITTED: Service.APPLICATIONS,
    EventKind.APPLICATION_STATUS_CHANGED: Service.APPLICATIONS,
    EventKind.APPLICATION_WITHDRAWN: Service.APPLICATIONS,
    EventKind.PROPOSAL_RECEIVED: Service.PROPOSALS,
    EventKind.PROPOSAL_ANSWERED: Service.PROPOSALS,
    EventKind.MESSAGE_RECEIVED: Service.MESSAGES,
    EventKind.CV_CREATED: Service.CVS,
    EventKind.CV_UPDATED: Service.CVS,
    EventKind.CV_DELETED: Service.CVS,
    EventKind.CV_PUBLISHED: Service.CVS,
    EventKind.CV_UNPUBLISHED: Service.CVS,
    EventKind.REGISTRATION_CEASED: Service.DOSSIERS,
    EventKind.REGISTRATION_RENEWED: Service.DOSSIERS,
    EventKind.REGISTRATION_STRUCK_OFF: Service.DOSSIERS,
    EventKind.ACTUALISATION_OPENED: Service.DOSSIERS,
    EventKind.ACTUALISATION_REMINDER: Service.DOSSIERS,
    EventKind.ACTUALISATION_SUBMITTED: Service.DOSSIERS,
    EventKind.ACTUALISATION_CORRECTED: Service.DOSSIERS,
    EventKind.DOCUMENT_SUBMITTED: Service.DOSSIERS,
    EventKind.DOCUMENT_DECIDED: Service.DOSSIERS,
    EventKind.PAYMENT_MADE: Service.INDEMNISATION,
    EventKind.BANK_ACCOUNT_CHANGED: Service.INDEMNISATION,
    EventKind.BANK_ACCOUNT_CHANGE_CANCELLED: Service.INDEMNISATION,
    EventKind.LETTER_RECEIVED: Service.LETTERS,
    EventKind.APPOINTMENT_SCHEDULED: Service.AGENDA,
    EventKind.APPOINTMENT_CHANGED: Service.AGENDA,
    EventKind.APPOINTMENT_REMINDER: Service.AGENDA,
    EventKind.SITUATION_CHANGED: Service.DOSSIERS,
    EventKind.DATA_EXPORT_READY: Service.ACCOUNT,
}


class AnnouncementKind(StrEnum):
    ACTUALITE = "actualite"
    EVENEMENT = "evenement"


class Announcement(IdMixin, Base):
    """News ("Actualités") and events ("Événements") published by advisers."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_published_at", "published_at"),)

    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str | None] = mapped_column(String(3))
    event_date: Mapped[date | None]
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(IdMixin, Base):
    """One thing that happened to an account. The id orders the log."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_account_id_id", "account_id", "id"),)

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(BigId)
