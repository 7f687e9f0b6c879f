"""Recording views in batches: resolvers note what a request showed (``AccessRecorder.saw``,
in memory, no IO), and the request's end writes them all (``flush_views``): one SELECT to
drop the views already logged within the dedup window, then one INSERT for the rest, in
one short write transaction, and none at all when nothing is new."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.db import begin_write
from ground.runtime import Runtime
from models.identity import Account, AccountKind
from models.privacy_log import AccessKind, AccessLogEntry

MAX_VIEWS_PER_REQUEST = 1000  # a bound on what one request can note (pages are smaller)

View = tuple[int, AccessKind, int]  # the candidat's account id, what was seen, its id


@dataclass
class AccessRecorder:
    """The views of one request, by one viewer (the request's signed-in account)."""

    viewer_id: int | None = None
    viewer_kind: str | None = None
    views: set[View] = field(default_factory=set)

    def saw(self, viewer: Account | None, candidat_id: int, kind: AccessKind, subject: int) -> None:
        """Note that ``viewer`` was shown the candidat's ``subject``; a candidat reading
        their own data, or anyone not signed in, is not logged."""
        if viewer is None or viewer.id == candidat_id or viewer.kind == AccountKind.CANDIDAT:
            return
        if len(self.views) >= MAX_VIEWS_PER_REQUEST:
            return
        self.viewer_id, self.viewer_kind = viewer.id, viewer.kind
        self.views.add((candidat_id, kind, subject))

    def take(self) -> tuple[int | None, str | None, list[View]]:
        """The noted views (sorted, so that writes are deterministic), and forget them."""
        views, self.views = sorted(self.views), set()
        return self.viewer_id, self.viewer_kind, views


async def new_views(
    session: AsyncSession, viewer_id: int, views: list[View], since: datetime
) -> list[View]:
    """The views not already logged for this viewer since ``since`` (one SELECT)."""
    subjects = sorted({subject for _, _, subject in views})
    stmt = select(AccessLogEntry.account_id, AccessLogEntry.kind, AccessLogEntry.subject_id).where(
        AccessLogEntry.viewer_id == viewer_id,
        AccessLogEntry.subject_id.in_(subjects),
        AccessLogEntry.at >= since,
    )
    logged = {(a, AccessKind(k), s) for a, k, s in (await session.execute(stmt)).all()}
    return [v for v in views if v not in logged]


async def flush_views(runtime: Runtime, recorder: AccessRecorder) -> int:
    """Write the request's views (how many were new). Called once, as the request ends."""
    viewer_id, viewer_kind, views = recorder.take()
    if viewer_id is None or viewer_kind is None or not views:
        return 0
    now = runtime.clock.now()
    since = now - timedelta(minutes=runtime.settings.access_log_dedup_minutes)
    async with runtime.read_sessionmaker() as reading:
        fresh = await new_views(reading, viewer_id, views, since)
    if not fresh:
        return 0
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        fresh = await new_views(session, viewer_id, fresh, since)  # a concurrent request's
        if fresh:
            rows = [
                {
                    "account_id": candidat,
                    "viewer_id": viewer_id,
                    "viewer_kind": viewer_kind,
                    "kind": kind.value,
                    "subject_id": subject,
                    "at": now,
                }
                for candidat, kind, subject in fresh
            ]
            await session.execute(insert(AccessLogEntry), rows)
    return len(fresh)


async def purge_access_log(session: AsyncSession, before: datetime) -> int:
    """Delete the entries older than ``before`` (the retention job)."""
    result = await session.execute(delete(AccessLogEntry).where(AccessLogEntry.at < before))
    return int(getattr(result, "rowcount", 0) or 0)
