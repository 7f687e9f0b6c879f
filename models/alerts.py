"""Abonnements aux offres: alerts, their percolator index, their matches, scheduled runs.

An alert is suspended while its dossier's e-mail is not confirmed; that is read from the
dossier (``dossiers.email_confirmed_at``) rather than copied here, so it cannot drift.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class AlertFrequency(StrEnum):
    """How often matching offers are mailed."""

    INSTANT = "INSTANT"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"


class Alert(IdMixin, CreatedMixin, Base):
    """Saved criteria whose new matching offers are mailed to the dossier's e-mail.

    ``criteria`` is ``resolvers.offers.criteria.OfferCriteria.to_json()``. The unsubscribe
    token is an HMAC of the id and ``unsubscribe_salt`` under the secret key: nothing to
    guess, nothing stored in clear, and a new salt revokes old links.
    """

    __tablename__ = "alerts"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    frequency: Mapped[str] = mapped_column(String(8))
    unsubscribe_salt: Mapped[str] = mapped_column(String(32))
    last_sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AlertKey(Base):
    """The percolator index: an alert is filed under the keys an offer must produce to
    possibly match it (see ``resolvers.alerts.keys``); 64-bit hashes of strings."""

    __tablename__ = "alert_keys"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    alert_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AlertMatch(IdMixin, Base):
    """An offer that matched an alert; ``sent_at`` once it has been mailed."""

    __tablename__ = "alert_matches"
    __table_args__ = (
        UniqueConstraint("alert_id", "offer_id"),
        Index("ix_alert_matches_offer_id", "offer_id"),
        # The digests' lookup of unsent matches.
        Index(
            "ix_alert_matches_pending",
            "alert_id",
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
    )

    alert_id: Mapped[int] = mapped_column(BigId, ForeignKey("alerts.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(BigId, ForeignKey("offers.id", ondelete="CASCADE"))
    matched_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class ScheduledRun(Base):
    """The last run of a periodic job (digests, offer expiry), claimed by one process."""

    __tablename__ = "scheduled_runs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[datetime]
