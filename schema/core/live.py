"""Sources of live data for subscriptions: replay from the log, then follow the broker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from ground.notifications import ANNOUNCEMENTS_CHANNEL, account_channel
from models.dashboard import Announcement, Event
from resolvers.core.errors import DomainError
from resolvers.dashboard import events as dashboard
from schema.core.base import domain_to_api_error
from schema.core.context import Info

REPLAY_BATCH = 200


async def event_stream(info: Info, after_id: int | None) -> AsyncIterator[Event]:
    """Every event of the viewer after ``after_id`` (or from now), then each new one.

    The broker subscription opens before the replay, so nothing committed in between is
    missed; each wake-up re-reads the log after the last id sent, so nothing is sent twice
    and a lost or overflowed notification is caught up at the next wake-up or re-check.
    """
    ctx = info.context
    try:
        viewer = ctx.require_viewer()
    except DomainError as e:
        raise domain_to_api_error(e) from e
    runtime = ctx.runtime
    account_id = viewer.account.id
    recheck = runtime.settings.ws_session_recheck_seconds
    async with runtime.broker.subscribe(account_channel(account_id)) as sub:
        async with runtime.sessionmaker() as session:
            last = (
                after_id
                if after_id is not None
                else await dashboard.latest_event_id(session, account_id)
            )
        while True:
            async with runtime.sessionmaker() as session:
                while True:
                    rows = await dashboard.events_after(session, account_id, last, REPLAY_BATCH)
                    for row in rows:
                        yield row
                        last = row.id
                    if len(rows) < REPLAY_BATCH:
                        break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_next_event(sub), timeout=recheck)


async def _next_event(sub: object) -> None:
    from ground.broker import Subscription

    assert isinstance(sub, Subscription)
    while True:
        _, message = await sub.get()
        if message.get("type") == "event":
            return


async def announcement_stream(info: Info) -> AsyncIterator[Announcement]:
    """Announcements published from now on (national, or for the viewer's région)."""
    runtime = info.context.runtime
    async with runtime.broker.subscribe(ANNOUNCEMENTS_CHANNEL) as sub:
        while True:
            _, message = await sub.get()
            if message.get("type") != "announcement":
                continue
            async with runtime.sessionmaker() as session:
                found = await dashboard.announcements_by_ids(session, [int(message["id"])])
            row = found.get(int(message["id"]))
            if row is not None:
                yield row
