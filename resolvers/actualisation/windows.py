"""Declaration windows: one per month, from the 28th (the 26th in February) to the 15th of
the next month, Paris time. The table holds each window once it is first needed (the default
rule fills it) and an operator may change it; reads of a month not in the table yet see the
default without writing it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.actualisation import ActualisationWindow
from resolvers.core.errors import DomainError, ErrorCode

PARIS = ZoneInfo("Europe/Paris")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(period: date) -> date:
    return (period.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(period: date) -> date:
    return (period - timedelta(days=1)).replace(day=1)


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


def default_bounds(period: date) -> tuple[datetime, datetime]:
    """The default rule: opens on the 28th (26th in February) at midnight, Paris time, and
    closes after the 15th of the next month (the end is exclusive)."""
    opens = period.replace(day=26 if period.month == 2 else 28)
    closes = next_month(period).replace(day=16)
    return _paris_midnight(opens), _paris_midnight(closes)


def default_window(period: date) -> ActualisationWindow:
    opens_at, closes_at = default_bounds(period)
    return ActualisationWindow(period=period, opens_at=opens_at, closes_at=closes_at)


def periods_around(now: datetime) -> list[date]:
    """The months whose window may be open or next around ``now``."""
    this = month_start(now.astimezone(PARIS).date())
    return [previous_month(this), this, next_month(this)]


async def windows_for(
    session: AsyncSession, periods: Iterable[date]
) -> dict[date, ActualisationWindow]:
    """The windows of these months: the table's, else the default (not written)."""
    wanted = sorted(set(periods))
    rows = await session.scalars(
        select(ActualisationWindow).where(ActualisationWindow.period.in_(wanted))
    )
    found = {w.period: w for w in rows}
    return {p: found.get(p) or default_window(p) for p in wanted}


async def ensure_windows(
    session: AsyncSession, periods: Iterable[date]
) -> dict[date, ActualisationWindow]:
    """The windows of these months, writing the default for those not in the table."""
    wanted = sorted(set(periods))
    known = await session.scalars(
        select(ActualisationWindow).where(ActualisationWindow.period.in_(wanted))
    )
    found = {w.period: w for w in known}
    if len(found) == len(wanted):  # the usual case: one statement, nothing to write
        return found
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for period in (p for p in wanted if p not in found):
        opens_at, closes_at = default_bounds(period)
        await session.execute(
            insert(ActualisationWindow)
            .values(period=period, opens_at=opens_at, closes_at=closes_at)
            .on_conflict_do_nothing(index_elements=["period"])
        )
    rows = await session.scalars(
        select(ActualisationWindow).where(ActualisationWindow.period.in_(wanted))
    )
    return {w.period: w for w in rows}


def open_window(
    windows: Sequence[ActualisationWindow], now: datetime, registered_on: date | None = None
) -> ActualisationWindow | None:
    """The window open at ``now``, if any (and if it concerns ``registered_on``)."""
    for window in windows:
        if window.opens_at <= now < window.closes_at and concerns(window, registered_on):
            return window
    return None


def concerns(window: ActualisationWindow, registered_on: date | None) -> bool:
    """Whether someone registered on that day declares that month: registered before the
    month ended (the first declaration is for the month of registration)."""
    return registered_on is None or registered_on < next_month(window.period)


def current_or_next(
    windows: Sequence[ActualisationWindow], now: datetime, registered_on: date | None = None
) -> ActualisationWindow | None:
    """The window open at ``now``, else the next one to open (among those that concern
    someone registered on ``registered_on``)."""
    ahead = sorted(
        (w for w in windows if w.closes_at > now and concerns(w, registered_on)),
        key=lambda w: w.opens_at,
    )
    return ahead[0] if ahead else None


async def set_window(
    session: AsyncSession, period: date, opens_on: date, closes_on: date
) -> ActualisationWindow:
    """An operator's change: the window of ``period`` opens on ``opens_on`` and closes after
    ``closes_on`` (both Paris days, inclusive)."""
    if closes_on < opens_on:
        raise DomainError.single(
            "closes", ErrorCode.INVALID_DATE, "La fermeture précède l'ouverture."
        )
    windows = await ensure_windows(session, [month_start(period)])
    window = windows[month_start(period)]
    window.opens_at = _paris_midnight(opens_on)
    window.closes_at = _paris_midnight(closes_on + timedelta(days=1))
    await session.flush()
    return window


def period_label(period: date) -> str:
    """« septembre 2026 »."""
    return f"{MONTHS[period.month - 1]} {period.year}"


def day_label(at: datetime) -> str:
    """« 28 septembre » (Paris)."""
    local = at.astimezone(PARIS)
    return f"{local.day} {MONTHS[local.month - 1]}"


def window_sentence(window: ActualisationWindow) -> str:
    """« Je m'actualise du 28 septembre au 15 octobre »."""
    last = window.closes_at - timedelta(seconds=1)
    return f"Je m'actualise du {day_label(window.opens_at)} au {day_label(last)}"
