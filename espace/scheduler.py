"""Periodic jobs run inside the server: the daily and weekly alert digests at the configured
hour (local time), closing expired offers, the declaration windows' reminders and
cessations, making the allowance payments due that day, the end of the trainings declared
as changes of situation, purging the access log past its retention, and each hour the
appointment reminders (48 h before) and the erasures whose grace period has passed; daily,
the retention job (inactive accounts, refused applications, expired offers).

Every process runs the scheduler; a job's slot is claimed in ``scheduled_runs`` by one
conditional UPDATE, so with several processes (or machines) each slot runs once. A server
started after the hour runs the slot it missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ground.claims import claim, daily_slot, hourly_slot, weekly_slot
from ground.db import begin_write
from ground.runtime import Runtime
from ground.settings import Settings
from models.alerts import AlertFrequency
from resolvers.access_log.reads import retention_cutoff
from resolvers.access_log.record import purge_access_log
from resolvers.actualisation.jobs import run_window_jobs
from resolvers.agenda.reminders import send_due_reminders
from resolvers.alerts.digest import run_digest
from resolvers.erasure.job import erase_due
from resolvers.erasure.retention import run_retention
from resolvers.indemnisation.payrun import pay_due
from resolvers.offers.manage import expire_offers
from resolvers.situation.jobs import end_trainings

log = logging.getLogger("espace.scheduler")


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    slot: Callable[[datetime], datetime]  # the latest slot at or before now (UTC)
    run: Callable[[Runtime, datetime], Awaitable[object]]


async def _expire(runtime: Runtime, now: datetime) -> int:
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        return await expire_offers(session, now)


async def _pay(runtime: Runtime, now: datetime) -> int:
    return await pay_due(runtime, now)


async def _purge_access_log(runtime: Runtime, now: datetime) -> int:
    """Drop the access log's entries past their retention (ESPACE_ACCESS_LOG_RETENTION_DAYS)."""
    before = retention_cutoff(now, runtime.settings.access_log_retention_days)
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        return await purge_access_log(session, before)


async def _daily(runtime: Runtime, now: datetime) -> object:
    return await run_digest(runtime, AlertFrequency.DAILY, now)


async def _weekly(runtime: Runtime, now: datetime) -> object:
    return await run_digest(runtime, AlertFrequency.WEEKLY, now)


async def _agenda_reminders(runtime: Runtime, now: datetime) -> int:
    return await send_due_reminders(runtime, now)


def jobs(runtime: Runtime) -> list[Job]:
    s = runtime.settings
    zone = ZoneInfo(s.timezone)
    return [
        Job("offers:expire", daily_slot(0, zone), _expire),
        # Declaration windows open and close at midnight, Paris time (reminders, cessations).
        Job("actualisation:windows", daily_slot(0, zone), run_window_jobs),
        Job("indemnisation:pay", daily_slot(0, zone), _pay),
        # A training over gives the registration its category back.
        Job("situation:trainings", daily_slot(0, zone), end_trainings),
        Job("alerts:daily", daily_slot(s.alert_digest_hour, zone), _daily),
        Job(
            "alerts:weekly", weekly_slot(s.alert_digest_weekday, s.alert_digest_hour, zone), _weekly
        ),
        Job("agenda:reminders", hourly_slot, _agenda_reminders),
        # Retention first (it schedules erasures), then the erasures whose time has come.
        Job("retention:daily", daily_slot(3, zone), run_retention),
        Job("erasure:due", hourly_slot, erase_due),
        Job("access_log:purge", daily_slot(3, zone), _purge_access_log),
    ]


async def tick(runtime: Runtime, now: datetime | None = None) -> list[str]:
    """Run every job whose slot has come and is not taken; returns the jobs run."""
    now = now or runtime.clock.now()
    done = []
    for job in jobs(runtime):
        slot = job.slot(now)
        if await claim(runtime, job.name, slot):
            log.info("running %s for %s", job.name, slot.isoformat())
            report = await job.run(runtime, slot)
            log.info("%s done: %s", job.name, report)
            done.append(job.name)
    return done


async def run_due_jobs(settings: Settings) -> int:
    """``espace jobs run``: one tick outside the server (cron, ESPACE_SCHEDULER_ENABLED=0)."""
    runtime = Runtime.create(settings.for_batch())
    try:
        await runtime.start()
        done = await tick(runtime)
    finally:
        await runtime.close()
    print(f"espace: tâches lancées : {', '.join(done) or 'aucune (déjà faites)'}.")
    return 0


async def run_forever(runtime: Runtime) -> None:
    """The lifespan's background loop (cancelled at shutdown)."""
    while True:
        try:
            await tick(runtime)
        except asyncio.CancelledError:
            raise
        except Exception:  # a failed run is retried at the next slot; never kill the server
            log.exception("scheduled job failed")
        await asyncio.sleep(runtime.settings.scheduler_interval_seconds)
