"""The time the application believes it is: the system clock, or a time a test (or a demo)
sets. Code that takes decisions on dates (declaration windows, reminders, cessations) asks
the runtime's clock rather than the system, so that tests drive the month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Aware UTC time; ``set`` pins it (tests), ``advance`` moves a pinned clock on."""

    def __init__(self) -> None:
        self._pinned: datetime | None = None

    def now(self) -> datetime:
        """The current time (UTC, aware)."""
        return self._pinned if self._pinned is not None else datetime.now(UTC)

    def pinned(self) -> datetime | None:
        """The time the clock is pinned at, None when it follows the system clock."""
        return self._pinned

    def set(self, at: datetime | None) -> None:
        """Pin the clock at ``at`` (aware), or back to the system clock with None."""
        if at is not None and at.tzinfo is None:
            raise ValueError("naive datetime refused: use aware datetimes")
        self._pinned = at.astimezone(UTC) if at is not None else None

    def advance(self, delta: timedelta) -> datetime:
        """Move a pinned clock on by ``delta``; returns the new time."""
        self.set(self.now() + delta)
        return self.now()
