"""The tableau de bord: the append-only event log, visits, counts, actions and announcements."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.notifications import ANNOUNCEMENTS_CHANNEL, account_channel, queue_notification
from ground.session_cache import mark_accounts_changed
from models.base import utcnow
from models.dashboard import SERVICE_OF, Announcement, AnnouncementKind, Event, EventKind, Service
from models.identity import Account, AccountKind
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.owners import owned_by
from resolvers.core.paging import KeysetPage, Window, keyset_page

MAX_ID = 2**63 - 1
KNOWN_KINDS = frozenset(k.value for k in EventKind)


async def record_event(
    session: AsyncSession,
    account_id: int,
    kind: EventKind,
    payload: dict[str, Any] | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
) -> Event:
    """Append an event; it commits or rolls back with the change that causes it, and is
    pushed live only after that commit."""
    if session.get_bind().dialect.name == "postgresql":
        # A sequence hands out ids before commit: serialise one account's appends so that
        # its events commit in id order, and a live reader past id N never misses a smaller
        # id committed later (SQLite write transactions are already serial).
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"events:{account_id}"},
        )
    event = Event(
        account_id=account_id,
        kind=kind.value,
        payload=payload or {},
        subject_type=subject_type,
        subject_id=subject_id,
    )
    session.add(event)
    await session.flush()
    queue_notification(
        session, account_channel(account_id), {"type": "event", "id": event.id, "kind": kind.value}
    )
    return event


async def events_page(
    session: AsyncSession, account_id: int, before_id: int | None, limit: int
) -> tuple[Sequence[Event], bool]:
    """Newest first: one page of the account's events older than ``before_id``."""
    stmt = select(Event).where(owned_by(Event, account_id))
    if before_id is not None:
        stmt = stmt.where(Event.id < min(before_id, MAX_ID))
    rows = (await session.scalars(stmt.order_by(Event.id.desc()).limit(limit + 1))).all()
    return rows[:limit], len(rows) > limit


async def events_window(session: AsyncSession, account_id: int, window: Window) -> KeysetPage:
    """Newest first: any page of the account's events, backward ones (``last``/``before``,
    towards newer events) included, in one statement."""
    stmt = select(Event).where(owned_by(Event, account_id))
    return await keyset_page(session, stmt, Event.id, True, window)


async def events_after(
    session: AsyncSession, account_id: int, after_id: int, limit: int
) -> Sequence[Event]:
    """Oldest first: the account's events after ``after_id`` (replay for subscriptions)."""
    stmt = (
        select(Event)
        .where(Event.account_id == account_id, Event.id > min(after_id, MAX_ID))
        .order_by(Event.id)
        .limit(limit)
    )
    return (await session.scalars(stmt)).all()


async def latest_event_id(session: AsyncSession, account_id: int) -> int:
    found = await session.scalar(select(func.max(Event.id)).where(Event.account_id == account_id))
    return int(found or 0)


async def latest_event_ids(session: AsyncSession, account_ids: Collection[int]) -> dict[int, int]:
    """The last event id of each account that has events (periodic catch-up of live
    subscriptions: one query per 5,000 accounts)."""
    ids = sorted(account_ids)
    latest: dict[int, int] = {}
    for start in range(0, len(ids), 5000):
        rows = await session.execute(
            select(Event.account_id, func.max(Event.id))
            .where(Event.account_id.in_(ids[start : start + 5000]))
            .group_by(Event.account_id)
        )
        latest.update((int(a), int(m)) for a, m in rows)
    return latest


async def events_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Event]:
    if not ids:
        return {}
    rows = (await session.scalars(select(Event).where(Event.id.in_(ids)))).all()
    return {e.id: e for e in rows}


async def counts_since(
    session: AsyncSession, account_id: int, since: datetime | None
) -> dict[Service, int]:
    """How many events each service had since ``since`` (everything when never visited)."""
    stmt = select(Event.kind, func.count()).where(owned_by(Event, account_id)).group_by(Event.kind)
    if since is not None:
        stmt = stmt.where(Event.occurred_at > since)
    counts = dict.fromkeys(Service, 0)
    for kind, count in (await session.execute(stmt)).all():
        service = SERVICE_OF.get(EventKind(kind)) if kind in KNOWN_KINDS else None
        if service is not None:
            counts[service] += int(count)
    return counts


async def record_visit(session: AsyncSession, account_id: int) -> datetime:
    """Move "since the last visit" on to now."""
    now = utcnow()
    await session.execute(update(Account).where(Account.id == account_id).values(last_visit_at=now))
    mark_accounts_changed(session, [account_id])  # the cached viewer carries last_visit_at
    return now


async def publish_announcement(
    session: AsyncSession,
    author: Account,
    kind: AnnouncementKind,
    title: str,
    body: str,
    region_code: str | None,
    event_date: date | None,
) -> Announcement:
    """An adviser publishes news or an event, broadcast live once committed."""
    if author.kind != AccountKind.CONSEILLER:
        raise DomainError.single(
            None, ErrorCode.FORBIDDEN, "Seuls les conseillers publient des actualités."
        )
    errors = ErrorCollector()
    title, body = title.strip(), body.strip()
    for field, value, limit in (("title", title, 200), ("body", body, 5000)):
        if not value:
            errors.add(field, ErrorCode.REQUIRED, "Ce champ est obligatoire.")
        elif len(value) > limit:
            errors.add(field, ErrorCode.TOO_LONG, f"{limit} caractères au maximum.")
    if kind == AnnouncementKind.EVENEMENT and event_date is None:
        errors.add("eventDate", ErrorCode.REQUIRED, "Un événement a une date.")
    errors.raise_if_any()
    row = Announcement(
        kind=kind.value,
        title=title,
        body=body,
        region_code=region_code,
        event_date=event_date,
        author_id=author.id,
    )
    session.add(row)
    await session.flush()
    queue_notification(
        session,
        ANNOUNCEMENTS_CHANNEL,
        {"type": "announcement", "id": row.id, "region": region_code},
    )
    return row


def announcements_select(region_code: str | None) -> Select[Announcement]:
    """National announcements plus those of the région, when given."""
    stmt = select(Announcement)
    if region_code is not None:
        stmt = stmt.where(
            (Announcement.region_code.is_(None)) | (Announcement.region_code == region_code)
        )
    return stmt


async def announcements_page(
    session: AsyncSession, region_code: str | None, window: Window
) -> KeysetPage:
    """Newest first."""
    stmt = announcements_select(region_code)
    return await keyset_page(session, stmt, Announcement.id, True, window)


async def announcements_by_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, Announcement]:
    if not ids:
        return {}
    rows = (await session.scalars(select(Announcement).where(Announcement.id.in_(ids)))).all()
    return {a.id: a for a in rows}
