"""Accounts (candidat, employeur, conseiller), sessions and sign-in throttling."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin


class AccountKind(StrEnum):
    CANDIDAT = "candidat"
    EMPLOYEUR = "employeur"
    CONSEILLER = "conseiller"


class Account(IdMixin, CreatedMixin, Base):
    """Anyone who signs in. Candidats sign in with identifiant + postal code, others by e-mail."""

    __tablename__ = "accounts"

    kind: Mapped[str] = mapped_column(String(16))
    identifiant: Mapped[str | None] = mapped_column(String(8), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    agency_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("agencies.id", ondelete="SET NULL")
    )
    secret_question: Mapped[str | None] = mapped_column(String(200))
    secret_answer_hash: Mapped[str | None] = mapped_column(String(200))
    secret_failures: Mapped[int] = mapped_column(default=0)
    secret_locked_until: Mapped[datetime | None]
    last_visit_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]


class AuthSession(IdMixin, CreatedMixin, Base):
    """A signed-in session. Only the HMAC of the bearer token is stored."""

    __tablename__ = "sessions"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(300))


class LoginFailure(IdMixin, Base):
    """One failed sign-in attempt, keyed by the identifiant or e-mail that was tried."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    key: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime]


class PasswordResetToken(IdMixin, CreatedMixin, Base):
    """A single-use password reset link, valid for a short time."""

    __tablename__ = "password_reset_tokens"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
