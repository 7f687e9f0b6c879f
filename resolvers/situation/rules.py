"""The effects of a change of situation: a SIMPLIFIED model of the public rules.

Pure functions, no IO (property-tested in tests/situation/test_rules.py).

On the registration (applied when the change is declared):
- WORK_RESUMED, full-time CDI (35 hours a week or more): the candidat is no longer available
  nor looking for work; the registration ceases (CESSATION_INSCRIPTION, reason
  REPRISE_EMPLOI) from the job's first day.
- WORK_RESUMED, any other job over 18 hours a week (about 78 hours a month, the threshold
  of the "activité réduite longue"): category 5, « Pourvu d'un emploi, à la recherche d'un
  autre emploi ». A job of 18 hours or less leaves the category as it is (the candidat
  remains immediately available). The pay itself is declared month by month in the
  actualisation, where the 70 % activity deduction applies, so it is not counted here.
- TRAINING: category 4, « Sans emploi, non immédiatement disponible », from the declaration;
  the scheduler gives the category before back the day after the training's last day
  (``resolvers.situation.jobs``).
- MOVE: the contact details, and the agency of the new home commune (with its first
  adviser as personal adviser) when it is another agency.
- SICK_LEAVE and ABSENCE leave the registration as it is.

On the payments (applied whenever a month is computed: at its declaration, at each
correction, and when a change touching a month already declared is declared, as long as
its payment is not made yet):
- sick days are not paid; a day already declared sick in the month's declaration counts
  once;
- absences: a candidat may be away 35 days a calendar year (any absence of more than 7 days
  must be declared; shorter ones may be). Past the 35th day of the year the candidat is no
  longer counted as available, and each further day of absence is deducted as a day not
  looking for work;
- a full-time CDI: in the month it begins, the days from its first day to the month's end
  are deducted as days not looking for work (unless the declaration already says the
  candidat stopped looking); the registration has ceased, so later months are not paid.

Left out (the real rules have them): the sick-leave threshold of 15 days for category 4,
the AREF allowance during a training, and changes of category dated in the future.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from models.situation import ContractKind

FULL_TIME_HOURS = 35
LONG_ACTIVITY_HOURS = 18
MAX_WEEKLY_HOURS = 48
ABSENCE_DECLARE_OVER_DAYS = 7
ABSENCE_DAYS_PER_YEAR = 35
CATEGORY_EMPLOYED = 5
CATEGORY_NOT_AVAILABLE = 4


@dataclass(frozen=True, slots=True)
class Span:
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def days(self) -> int:
        return max(0, (self.end - self.start).days + 1)

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end

    def each_day(self) -> Iterable[date]:
        for n in range(self.days()):
            yield self.start + timedelta(days=n)


@dataclass(frozen=True, slots=True)
class WorkOutcome:
    """What a job taken back does to the registration."""

    ceases: bool  # the registration ceases (full-time CDI)
    category: int  # the category afterwards (unchanged when it ceases)


def work_outcome(contract: ContractKind, weekly_hours: int, category: int) -> WorkOutcome:
    """The registration after a job is taken back (see the module docstring)."""
    if contract == ContractKind.CDI and weekly_hours >= FULL_TIME_HOURS:
        return WorkOutcome(ceases=True, category=category)
    if weekly_hours > LONG_ACTIVITY_HOURS:
        return WorkOutcome(ceases=False, category=CATEGORY_EMPLOYED)
    return WorkOutcome(ceases=False, category=category)


def month_span(period: date) -> Span:
    """The calendar month of ``period`` (any day of it)."""
    first = period.replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Span(first, following - timedelta(days=1))


def absence_days_over(absences: Iterable[Span], year: int) -> set[date]:
    """The days of absence of ``year`` past the 35 allowed, each day counted once."""
    days = sorted({d for a in absences for d in a.each_day() if d.year == year})
    return set(days[ABSENCE_DAYS_PER_YEAR:])


def absence_days_in_year(absences: Iterable[Span], year: int) -> int:
    """How many days of ``year`` the absences cover, each day counted once."""
    return len({d for a in absences for d in a.each_day() if d.year == year})


@dataclass(frozen=True, slots=True)
class MonthDeduction:
    """Days the changes of situation take off a month's payment, beyond the declaration."""

    sick_days: int
    days_not_looking: int


def month_deduction(
    period: date,
    sick: Iterable[Span],
    absences: Iterable[Span],
    full_time_from: date | None,
    declared_sick: Span | None,
    declared_not_looking: bool,
) -> MonthDeduction:
    """The days of the month the changes add to what the declaration already deducts:
    sick days not declared sick, then absence days past the year's 35 and days after a
    full-time CDI began (neither counted twice, nor on a sick day)."""
    month = month_span(period)
    in_month = set(month.each_day())
    declared = set(declared_sick.each_day()) if declared_sick is not None else set()
    sick_days = {d for s in sick for d in s.each_day()} & in_month
    extra_sick = sick_days - declared
    unavailable: set[date] = set()
    if not declared_not_looking:
        unavailable = absence_days_over(absences, period.year) & in_month
        if full_time_from is not None and full_time_from <= month.end:
            unavailable |= set(Span(max(full_time_from, month.start), month.end).each_day())
    unavailable -= sick_days | declared
    return MonthDeduction(sick_days=len(extra_sick), days_not_looking=len(unavailable))
