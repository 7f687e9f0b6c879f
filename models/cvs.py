"""CVs: several per dossier, private or published (named or anonymous).

Only the columns other domains rely on are fixed here (applications and proposals refer to
``cvs.id``; employers find only ``visibility != PRIVATE``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class CvVisibility(StrEnum):
    """Who can find a CV."""

    PRIVATE = "PRIVATE"
    PUBLISHED = "PUBLISHED"
    ANONYMOUS = "ANONYMOUS"


class Cv(IdMixin, CreatedMixin, Base):
    """A candidat's CV in one dossier."""

    __tablename__ = "cvs"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    visibility: Mapped[str] = mapped_column(String(10), default=CvVisibility.PRIVATE.value)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
