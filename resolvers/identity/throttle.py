"""Sign-in throttling, keyed by the identifiant or e-mail that was tried.

Rules (``settings.login_delay_after_failures`` = 5, ``login_max_failures_per_hour`` = 10):

- after the 5th failure within the last hour, each new attempt must wait
  ``2 ** (n - 5)`` seconds after the latest failure (n = failures in the hour):
  1 s after the 5th, 2 s after the 6th, … 16 s after the 9th;
- at 10 failures within the hour, attempts are refused until the oldest of them is
  an hour old. Nothing is permanent: the real owner is never locked out for good.

Refused (throttled) attempts do not verify the password and do not count. Unknown
identifiants are throttled like known ones, so the answer tells nothing about
whether an account exists. Every function takes ``now``, so callers (and tests)
control the clock.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ground.settings import Settings
from models.identity import LoginFailure
from resolvers.core.errors import ErrorCode, FieldError

WINDOW = timedelta(hours=1)


def french_duration(seconds: float) -> str:
    """ "1 seconde", "16 secondes", "2 minutes", "1 heure"."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} seconde{'s' if whole > 1 else ''}"
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} heure{'s' if hours > 1 else ''}"


def throttled(wait_seconds: float) -> FieldError:
    return FieldError(
        None,
        ErrorCode.THROTTLED,
        f"Trop de tentatives de connexion. Réessayez dans {french_duration(wait_seconds)}.",
    )


def wait_seconds(settings: Settings, failures: list[datetime], now: datetime) -> float:
    """How long the next attempt must wait, given the failures of the last hour (sorted)."""
    count = len(failures)
    if count >= settings.login_max_failures_per_hour:
        return (failures[0] + WINDOW - now).total_seconds()
    if count >= settings.login_delay_after_failures:
        delay = 2 ** (count - settings.login_delay_after_failures)
        return (failures[-1] + timedelta(seconds=delay) - now).total_seconds()
    return 0.0


async def refusal(
    session: AsyncSession, settings: Settings, key: str, now: datetime
) -> FieldError | None:
    """THROTTLED when an attempt for ``key`` may not be made now, else None."""
    failures = list(
        (
            await session.scalars(
                select(LoginFailure.at)
                .where(LoginFailure.key == key, LoginFailure.at > now - WINDOW)
                .order_by(LoginFailure.at)
            )
        ).all()
    )
    wait = wait_seconds(settings, failures, now)
    return throttled(wait) if wait > 0 else None


async def lock(session: AsyncSession, key: str) -> None:
    """Serialise attempts on one key until the end of the transaction.

    SQLite write transactions are already serial (BEGIN IMMEDIATE); PostgreSQL
    takes a transaction-level advisory lock on the key.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"login:{key}"},
        )


async def record_failure(session: AsyncSession, key: str, now: datetime) -> None:
    """Count one failed attempt (and forget this key's failures older than the window)."""
    await session.execute(
        delete(LoginFailure).where(LoginFailure.key == key, LoginFailure.at <= now - WINDOW)
    )
    session.add(LoginFailure(key=key, at=now))
    await session.flush()


async def clear(session: AsyncSession, key: str) -> None:
    """Forget the failures of ``key`` (after a successful sign-in or a new password)."""
    await session.execute(delete(LoginFailure).where(LoginFailure.key == key))


def account_key(identifiant: str | None, email: str | None) -> str:
    """The throttling key of an account: its identifiant, else its e-mail (lowercase)."""
    if identifiant:
        return identifiant
    return (email or "").lower()
