"""CVs: several per dossier, private or published (named or anonymous).

Applications and proposals refer to ``cvs.id``; employers find only
``visibility != PRIVATE``. Experiences and education are rows of their own (ordered by
``position``); skills, languages and driving licences are short JSON lists. An attached
file lives in the file storage (``resolvers.core.uploads``): the row keeps its key, name and
size only.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class CvVisibility(StrEnum):
    """Who can find a CV."""

    PRIVATE = "PRIVATE"
    PUBLISHED = "PUBLISHED"
    ANONYMOUS = "ANONYMOUS"


class Cv(IdMixin, CreatedMixin, Base):
    """A candidat's CV in one dossier.

    ``search_text`` is the CV's words, folded (lower case, no accents), for the employers'
    keyword search; it never holds the candidat's name or contact details.
    """

    __tablename__ = "cvs"
    __table_args__ = (Index("ix_cvs_visibility_id", "visibility", "id"),)

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    visibility: Mapped[str] = mapped_column(String(10), default=CvVisibility.PRIVATE.value)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    rome_code: Mapped[str | None] = mapped_column(String(5), index=True)
    appellation_code: Mapped[str | None] = mapped_column(String(10))
    metier_libelle: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    driving_licences: Mapped[list[str]] = mapped_column(JSON, default=list)
    search_text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]

    file_key: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None]
    file_uploaded_at: Mapped[datetime | None]


class CvExperience(IdMixin, Base):
    """One job of a CV: poste, employer, place, dates (no end date: still there)."""

    __tablename__ = "cv_experiences"
    __table_args__ = (Index("ix_cv_experiences_cv_id_position", "cv_id", "position"),)

    cv_id: Mapped[int] = mapped_column(BigId, ForeignKey("cvs.id", ondelete="CASCADE"))
    position: Mapped[int]
    job: Mapped[str] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(120))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    description: Mapped[str | None] = mapped_column(Text)


class CvEducation(IdMixin, Base):
    """One diploma or training of a CV."""

    __tablename__ = "cv_educations"
    __table_args__ = (Index("ix_cv_educations_cv_id_position", "cv_id", "position"),)

    cv_id: Mapped[int] = mapped_column(BigId, ForeignKey("cvs.id", ondelete="CASCADE"))
    position: Mapped[int]
    diploma: Mapped[str] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(10))
    domain: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None]
