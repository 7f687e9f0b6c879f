"""The reminder 48 h before an appointment: a mail and a dashboard event, once.

Run by the scheduler at each hourly slot (``espace.scheduler``, claimed so one process runs
it); ``reminded_at`` makes each reminder go once even if two runs overlap (rows are
locked with SKIP LOCKED on PostgreSQL; SQLite write transactions are serial).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ground.db import begin_write
from ground.runtime import Runtime
from models.agenda import Appointment, Modality
from models.dashboard import EventKind
from models.identity import Account
from resolvers.agenda.manage import MODALITY_LABELS, OPEN, when_label
from resolvers.dashboard.events import record_event
from resolvers.identity.fields import notice_addresses

BATCH = 200


async def send_due_reminders(runtime: Runtime, now: datetime) -> int:
    """Remind every open appointment starting within the reminder delay (48 h by default)
    of ``now``; returns how many."""
    ahead = timedelta(hours=runtime.settings.agenda_reminder_hours)
    sent = 0
    while True:
        async with runtime.sessionmaker() as session, session.begin():
            await begin_write(session)
            rows = (
                await session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.reminded_at.is_(None),
                        Appointment.status.in_(OPEN),
                        Appointment.starts_at > now,
                        Appointment.starts_at <= now + ahead,
                    )
                    .order_by(Appointment.id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                row.reminded_at = now
                await record_event(
                    session,
                    row.account_id,
                    EventKind.APPOINTMENT_REMINDER,
                    {"name": row.theme, "startsAt": row.starts_at.isoformat()},
                    subject_type="appointment",
                    subject_id=row.id,
                )
                account = await session.get(Account, row.account_id)
                for address in await notice_addresses(session, account) if account else []:
                    await runtime.mailer.enqueue(
                        session,
                        to=address,
                        template="appointment_reminder",
                        context={
                            "theme": row.theme,
                            "when": when_label(row.starts_at),
                            "modality": MODALITY_LABELS[Modality(row.modality)],
                            "address": row.address,
                            "visio_link": row.link,
                            "adviser": row.adviser_name,
                        },
                    )
        sent += len(rows)
        runtime.mailer.wake()
        if len(rows) < BATCH:
            return sent
