"""The default window rule (pure): 28th (26th in February) to the 15th of the next month,
Paris time, whatever the year or the daylight-saving time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from resolvers.actualisation.windows import (
    current_or_next,
    default_window,
    open_window,
    periods_around,
    window_sentence,
)
from tests.actualisation.support import paris


@pytest.mark.parametrize(
    ("period", "opens", "closes", "sentence"),
    [
        ("2026-09-01", paris(2026, 9, 28), paris(2026, 10, 16), "du 28 septembre au 15 octobre"),
        ("2027-02-01", paris(2027, 2, 26), paris(2027, 3, 16), "du 26 février au 15 mars"),
        ("2026-12-01", paris(2026, 12, 28), paris(2027, 1, 16), "du 28 décembre au 15 janvier"),
        ("2027-03-01", paris(2027, 3, 28), paris(2027, 4, 16), "du 28 mars au 15 avril"),
    ],
)
def test_the_default_rule(period: str, opens: datetime, closes: datetime, sentence: str) -> None:
    window = default_window(date.fromisoformat(period))
    assert (window.opens_at, window.closes_at) == (opens.astimezone(UTC), closes.astimezone(UTC))
    assert window_sentence(window) == f"Je m'actualise {sentence}"


def test_which_window_is_open_or_next() -> None:
    windows = [default_window(p) for p in periods_around(paris(2026, 10, 10, 12))]
    assert [w.period.isoformat() for w in windows] == ["2026-09-01", "2026-10-01", "2026-11-01"]
    is_open = open_window(windows, paris(2026, 10, 15, 23, 59))
    assert is_open is not None and is_open.period == date(2026, 9, 1)
    assert open_window(windows, paris(2026, 10, 16, 0, 0)) is None
    upcoming = current_or_next(windows, paris(2026, 10, 16, 0, 0))
    assert upcoming is not None and upcoming.period == date(2026, 10, 1)
    # Someone registered on 5 October does not declare September
    assert open_window(windows, paris(2026, 10, 10), date(2026, 10, 5)) is None
    later = current_or_next(windows, paris(2026, 10, 10), date(2026, 10, 5))
    assert later is not None and later.period == date(2026, 10, 1)
