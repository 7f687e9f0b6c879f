"""What the candidat can read about their own data (issue 14): the history of changes to
their personal data (rectification, RGPD art. 16) and who looked at it (the access log).

Both tables hang off the candidat's account (``account_id``, CASCADE). The person who acted
(``actor_id`` / ``viewer_id``) may be the candidat, an adviser or an employer; if that account
goes, the row stays with its kind only (SET NULL).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, IdMixin


class ChangeActor(StrEnum):
    """Who changed a personal datum."""

    CANDIDAT = "CANDIDAT"
    CONSEILLER = "CONSEILLER"
    LINK = "LINK"  # someone following a mailed link (« ce n'est pas mon adresse »)


class PersonalDataChange(IdMixin, Base):
    """One field of the candidat's personal data changed: who, when, old → new."""

    __tablename__ = "personal_data_changes"
    __table_args__ = (Index("ix_personal_data_changes_account_id_id", "account_id", "id"),)

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    subject: Mapped[str] = mapped_column(String(20))  # dossier, bank_account
    subject_id: Mapped[int | None] = mapped_column(BigId)
    subject_name: Mapped[str | None] = mapped_column(String(60))  # e.g. the dossier's name
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(String(254))
    new_value: Mapped[str | None] = mapped_column(String(254))
    at: Mapped[datetime]


class AccessKind(StrEnum):
    """What was looked at."""

    CV_LISTED = "CV_LISTED"  # a CV shown in an employer's search results
    CV_OPENED = "CV_OPENED"  # a CV opened by an employer (by its ID, or with an application)
    APPLICATION_OPENED = "APPLICATION_OPENED"  # an application's applicant read by the employer
    CONTACT_OPENED = "CONTACT_OPENED"  # the contact disclosed by accepting a proposal, read
    FILE_OPENED = "FILE_OPENED"  # an adviser opened the candidat's allowance file
    DOCUMENT_OPENED = "DOCUMENT_OPENED"  # an adviser read a supporting document


class AccessLogEntry(IdMixin, Base):
    """Someone other than the candidat saw the candidat's data. Repeated views of the same
    object by the same account within a short window are one entry."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_account_id_id", "account_id", "id"),
        Index("ix_access_log_viewer_id_subject_id_at", "viewer_id", "subject_id", "at"),
        Index("ix_access_log_at", "at"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    viewer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    viewer_kind: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(BigId)
    at: Mapped[datetime]
