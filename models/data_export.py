"""Data exports (« Mes données », RGPD art. 15 and 20): one archive of everything the product
holds about an account, prepared in the background, downloaded once through a link that
expires.

A request is ``pending`` until a worker claims it (``preparing``, with a lease so that a
worker that dies leaves it to another process), then ``ready`` with the archive in the file
storage and the HMAC of the link's token, or ``failed`` after a few attempts. The link is
single-use: ``downloaded_at`` is set by one conditional UPDATE, and the archive is removed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin


class ExportStatus(StrEnum):
    """Where a request is; EXPIRED is computed (a READY archive past its link's expiry)."""

    PENDING = "pending"
    PREPARING = "preparing"
    READY = "ready"
    DOWNLOADED = "downloaded"
    FAILED = "failed"


class DataExport(IdMixin, CreatedMixin, Base):
    """One export request of one account; ``created_at`` is when it was asked for."""

    __tablename__ = "data_exports"
    __table_args__ = (
        Index("ix_data_exports_account_id_id", "account_id", "id"),
        Index("ix_data_exports_status_claimed", "status", "claimed_until"),
    )

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default=ExportStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    downloaded_at: Mapped[datetime | None]
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    archive_key: Mapped[str | None] = mapped_column(String(64))
    archive_size: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
