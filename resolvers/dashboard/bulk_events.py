"""Many events of one kind in one statement, for batch jobs (the payment run): the same
rows, ordering and live pushes as ``record_event``, without a round trip per event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from ground.notifications import account_channel, queue_notification
from models.dashboard import Event, EventKind


@dataclass(frozen=True, slots=True)
class NewEvent:
    account_id: int
    payload: dict[str, Any]
    subject_id: int | None = None


async def record_events(
    session: AsyncSession,
    kind: EventKind,
    subject_type: str | None,
    events: Sequence[NewEvent],
    now: datetime,
) -> list[int]:
    """Append the events in the caller's transaction (pushed live after its commit);
    returns their ids in the order given."""
    if not events:
        return []
    accounts = sorted({e.account_id for e in events})
    if session.get_bind().dialect.name == "postgresql":
        # record_event's per-account lock (an account's events commit in id order), taken
        # in account order so that two batches never wait on each other in a cycle.
        await session.execute(
            text(
                "SELECT pg_advisory_xact_lock(hashtextextended('events:' || a, 0)) "
                "FROM unnest(CAST(:ids AS bigint[])) AS a ORDER BY a"
            ),
            {"ids": accounts},
        )
    values = [
        {
            "account_id": e.account_id,
            "kind": kind.value,
            "occurred_at": now,
            "payload": e.payload,
            "subject_type": subject_type,
            "subject_id": e.subject_id,
        }
        for e in events
    ]
    result = await session.execute(
        insert(Event).returning(Event.id, Event.account_id, sort_by_parameter_order=True), values
    )
    ids: list[int] = []
    for event_id, account_id in result.all():
        ids.append(event_id)
        queue_notification(
            session,
            account_channel(account_id),
            {"type": "event", "id": event_id, "kind": kind.value},
        )
    return ids
