"""The scheduler's claim primitives: a job's time slots, and claiming a slot in
``scheduled_runs`` with one conditional UPDATE, so that with several processes (or
machines) each slot runs once. The jobs themselves are ``espace.scheduler``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ground.db import begin_write
from ground.runtime import Runtime
from models.alerts import ScheduledRun

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def daily_slot(hour: int, zone: ZoneInfo) -> Callable[[datetime], datetime]:
    """The latest daily slot at or before a time: `hour` o'clock in `zone`."""

    def slot(now: datetime) -> datetime:
        local = now.astimezone(zone)
        start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        if start > local:
            start -= timedelta(days=1)
        return start.astimezone(UTC)

    return slot


def hourly_slot(now: datetime) -> datetime:
    """The latest hourly slot at or before a time (the start of its UTC hour)."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def weekly_slot(weekday: int, hour: int, zone: ZoneInfo) -> Callable[[datetime], datetime]:
    """The latest weekly slot at or before a time: `weekday` at `hour` o'clock in `zone`."""
    daily = daily_slot(hour, zone)

    def slot(now: datetime) -> datetime:
        start = daily(now).astimezone(zone)
        start -= timedelta(days=(start.weekday() - weekday) % 7)
        return start.astimezone(UTC)

    return slot


async def claim(runtime: Runtime, name: str, slot: datetime) -> bool:
    """Take the slot for this process, or learn that another one has."""
    async with runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        await session.execute(
            insert(ScheduledRun).values(name=name, last_run_at=EPOCH).on_conflict_do_nothing()
        )
        result = await session.execute(
            update(ScheduledRun)
            .where(ScheduledRun.name == name, ScheduledRun.last_run_at < slot)
            .values(last_run_at=slot)
            .returning(ScheduledRun.name)
        )
        return result.first() is not None


async def last_runs(runtime: Runtime) -> dict[str, datetime]:
    """When each job last ran (its latest claimed slot)."""
    async with runtime.read_sessionmaker() as session:
        rows = await session.execute(select(ScheduledRun.name, ScheduledRun.last_run_at))
        return {name: at for name, at in rows.all()}
