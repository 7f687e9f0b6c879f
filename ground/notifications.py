"""Live notifications queued in a transaction and published only once it has committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

PENDING_KEY = "espace.pending_notifications"


def account_channel(account_id: int) -> str:
    """The channel of everything live that concerns one account."""
    return f"account:{account_id}"


ANNOUNCEMENTS_CHANNEL = "announcements"


def queue_notification(
    session: AsyncSession | Session, channel: str, message: dict[str, Any]
) -> None:
    """Queue a message; the runtime publishes it after commit and drops it on rollback."""
    session.info.setdefault(PENDING_KEY, []).append((channel, message))


def take_pending(session: Session) -> list[tuple[str, dict[str, Any]]]:
    pending: list[tuple[str, dict[str, Any]]] = session.info.pop(PENDING_KEY, [])
    return pending
