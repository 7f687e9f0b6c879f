"""The candidat's classeur (saved offers) and saved search criteria (per dossier)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class SavedOffer(IdMixin, CreatedMixin, Base):
    """An offer kept in a candidat's classeur. The id orders the classeur."""

    __tablename__ = "saved_offers"
    __table_args__ = (
        UniqueConstraint("account_id", "offer_id"),
        # Who saved this offer: the INSERT ... SELECT of events when it changes.
        Index("ix_saved_offers_offer_id", "offer_id"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(BigId, ForeignKey("offers.id", ondelete="CASCADE"))


class SavedSearch(IdMixin, CreatedMixin, Base):
    """Named search criteria of a dossier, re-run without typing them again.

    ``criteria`` is ``resolvers.offers.criteria.OfferCriteria.to_json()``.
    """

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("dossier_id", "name"),)

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
