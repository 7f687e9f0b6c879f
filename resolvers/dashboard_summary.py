"""The tableau de bord in one statement: the counts since the last visit (per service), the
unread messages, the pending proposals and the first page of the event log.

The counts are one aggregate row (no GROUP BY: ``count(CASE WHEN kind IN (…) THEN 1 END)``
per service), the unread messages and pending proposals scalar subqueries of the messages
and proposals domains, and the events page is LEFT JOINed to that single row, so an account
without events still gets its counts. ``schema.dashboard_prefetch`` decides which parts to
ask for from the GraphQL selection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, case, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Subquery

from models.dashboard import SERVICE_OF, Event, Service
from models.messages import Conversation, Message
from resolvers.dashboard import MAX_ID
from resolvers.message_queries import _unread_messages, _with_marker
from resolvers.messages import Reader

EventsPage = tuple[list[Event], bool]


def unread_count_select(reader: Reader) -> Select[tuple[int]]:
    """``resolvers.message_queries.unread_count``'s statement, to embed as a subquery.

    Built from that module's own predicates so the definition of "unread" stays there.
    TODO(messages): expose this select from ``resolvers.message_queries`` and use it there.
    """
    stmt = (
        select(func.count(Message.id))
        .select_from(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
    )
    return _with_marker(stmt, reader).where(_unread_messages(reader))


@dataclass(frozen=True, slots=True)
class Summary:
    """What ``dashboard_summary`` found; None for the parts not asked for."""

    counts: dict[Service, int] | None
    scalars: dict[str, int]
    events: EventsPage | None


def _service_counts(account_id: int, since: datetime | None) -> list[ColumnElement[Any]]:
    """The columns of one aggregate row: how many events each service had since ``since``."""
    kinds: dict[Service, list[str]] = {s: [] for s in Service}
    for kind, service in SERVICE_OF.items():
        kinds[service].append(kind.value)
    stmt = select(
        *[
            func.count(case((Event.kind.in_(kinds[s]), 1))).label(f"count_{s.value}")
            for s in Service
        ]
    ).where(Event.account_id == account_id)
    if since is not None:
        stmt = stmt.where(Event.occurred_at > since)
    return list(stmt.subquery("counts").c)


def _events_page(account_id: int, before: int | None, limit: int) -> Subquery:
    page = select(Event).where(Event.account_id == account_id)
    if before is not None:
        page = page.where(Event.id < min(before, MAX_ID))
    return page.order_by(Event.id.desc()).limit(limit + 1).subquery("page")


async def dashboard_summary(
    session: AsyncSession,
    account_id: int,
    since: datetime | None,
    *,
    counts: bool,
    scalars: Mapping[str, ScalarSelect[Any]],
    events: tuple[int | None, int] | None,
) -> Summary:
    """The parts asked for, in one statement: the counts since ``since`` (everything when
    never visited), the named scalar subqueries, and one page of events (newest first,
    older than the ``(before id, page size)`` cursor)."""
    head: list[ColumnElement[Any]] = _service_counts(account_id, since) if counts else []
    head += [query.label(f"scalar_{name}") for name, query in scalars.items()]
    if events is None and not head:
        return Summary(None, {}, None)
    stmt: Select[Any] = select(*head)
    if events is not None:
        page = _events_page(account_id, *events)
        row = aliased(Event, page)
        if head:
            top = stmt.subquery("head")
            stmt = select(top, row).select_from(top).outerjoin(page, true())
        else:
            stmt = select(row)
        stmt = stmt.order_by(page.c.id.desc())
    rows = (await session.execute(stmt)).all()
    first = rows[0] if rows else None
    values = list(first[: len(head)]) if first is not None else [0] * len(head)
    found_counts = None
    if counts:
        found_counts = {s: int(values.pop(0) or 0) for s in Service}
    found_scalars = {name: int(values.pop(0) or 0) for name in scalars}
    page_rows: EventsPage | None = None
    if events is not None:
        found = [r[len(head)] for r in rows if r[len(head)] is not None]
        page_rows = (found[: events[1]], len(found) > events[1])
    return Summary(found_counts, found_scalars, page_rows)
