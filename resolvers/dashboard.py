"""The event log behind the tableau de bord: append-only, written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.dashboard import Event, EventKind


async def record_event(
    session: AsyncSession,
    account_id: int,
    kind: EventKind,
    payload: dict[str, Any] | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
) -> Event:
    """Append an event; it commits or rolls back with the change that causes it."""
    event = Event(
        account_id=account_id,
        kind=kind.value,
        payload=payload or {},
        subject_type=subject_type,
        subject_id=subject_id,
    )
    session.add(event)
    await session.flush()
    return event
