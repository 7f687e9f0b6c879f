"""The scheduler's work on declaration windows, run at each daily slot (``espace.scheduler``
claims the slot; each window's step is also claimed by a conditional UPDATE of its marker, so
it is done once even when slots are replayed):

- when a window opens: a mail and an event to every registered candidat who has to declare;
- three days before it closes: the same, to those who have not declared yet;
- once it has closed: those who have not declared move to CESSATION_INSCRIPTION, with a mail
  and an event.

Who has to declare for a month: the INSCRIT candidats registered before the month ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from ground.db import begin_write
from ground.runtime import Runtime
from models.actualisation import Actualisation, ActualisationWindow
from models.dashboard import EventKind
from models.registration import Registration, RegistrationState
from resolvers.actualisation.windows import (
    day_label,
    ensure_windows,
    next_month,
    period_label,
    periods_around,
)
from resolvers.dashboard.events import record_event
from resolvers.registration.manage import cease, contact_emails, local_day

CLOSING_REMINDER = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class WindowReport:
    """What one run did (counts of candidats)."""

    opened: int = 0
    reminded: int = 0
    ceased: int = 0


async def run_window_jobs(runtime: Runtime, now: datetime) -> WindowReport:
    """Every step due at ``now`` for the windows around it, in one transaction."""
    opened = reminded = ceased = 0
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        windows = await ensure_windows(session, periods_around(now))
        for w in sorted(windows.values(), key=lambda w: w.opens_at):
            is_open = w.opens_at <= now < w.closes_at
            closing = w.closes_at - CLOSING_REMINDER <= now < w.closes_at
            # A run that comes late sends only the latest of the two reminders.
            took = is_open and await _take(session, w, ActualisationWindow.opening_reminded_at, now)
            if took and not closing:
                opened += await _remind(session, runtime, w, "actualisation_opened", now)
            if closing and await _take(session, w, ActualisationWindow.closing_reminded_at, now):
                reminded += await _remind(session, runtime, w, "actualisation_reminder", now)
            if w.closes_at <= now and await _take(session, w, ActualisationWindow.ceased_at, now):
                ceased += await _cease(session, runtime, w, now)
    return WindowReport(opened, reminded, ceased)


async def _take(
    session: AsyncSession,
    window: ActualisationWindow,
    marker: InstrumentedAttribute[datetime | None],
    now: datetime,
) -> bool:
    result = await session.execute(
        update(ActualisationWindow)
        .where(ActualisationWindow.id == window.id, marker.is_(None))
        .values({marker.key: now})
        .returning(ActualisationWindow.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None


async def _due(session: AsyncSession, window: ActualisationWindow) -> Sequence[Registration]:
    declared = exists().where(
        Actualisation.account_id == Registration.account_id,
        Actualisation.period == window.period,
    )
    stmt = (
        select(Registration)
        .where(
            Registration.state == RegistrationState.INSCRIT,
            Registration.registered_on < next_month(window.period),
            ~declared,
        )
        .order_by(Registration.id)
    )
    return (await session.scalars(stmt)).all()


def _context(window: ActualisationWindow) -> dict[str, Any]:
    return {
        "period": period_label(window.period),
        "opens": day_label(window.opens_at),
        "closes": day_label(window.closes_at - timedelta(seconds=1)),
    }


async def _remind(
    session: AsyncSession,
    runtime: Runtime,
    window: ActualisationWindow,
    template: str,
    now: datetime,
) -> int:
    context = _context(window)
    kind = (
        EventKind.ACTUALISATION_OPENED
        if template == "actualisation_opened"
        else EventKind.ACTUALISATION_REMINDER
    )
    due = await _due(session, window)
    emails = await contact_emails(session, due)
    for r in due:
        status = f"du {context['opens']} au {context['closes']}"
        await record_event(
            session, r.account_id, kind, {"name": context["period"], "statusLabel": status}
        )
        if (to := emails.get(r.account_id)) is not None:
            await runtime.mailer.enqueue(session, to=to, template=template, context=context)
    return len(due)


async def _cease(
    session: AsyncSession, runtime: Runtime, window: ActualisationWindow, now: datetime
) -> int:
    context = _context(window)
    on = local_day(window.closes_at)
    due = await _due(session, window)
    emails = await contact_emails(session, due)
    for r in due:
        await cease(session, r, on, now, context["period"])
        if (to := emails.get(r.account_id)) is not None:
            await runtime.mailer.enqueue(
                session,
                to=to,
                template="registration_ceased",
                context={**context, "ceased_on": on.strftime("%d/%m/%Y")},
            )
    return len(due)
