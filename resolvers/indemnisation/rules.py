"""The monthly payment rules: a SIMPLIFIED model of the public ARE rules (France Travail).

Pure functions, no IO. Amounts are integer cents, rates are ``Decimal`` euros per day.

- A full month pays 30 × the daily net rate (the rule since April 2025), whatever the
  number of days in the calendar month.
- Sick days and days not looking for work are not paid. A candidat who is no longer
  looking (``still_looking`` false) with no count of days gets nothing for the month.
- Work resumed: 70 % of the month's gross pay is deducted, and the gross pay plus the
  allowance never exceeds the monthly reference salary (the cap; no cap when the
  reference salary is unknown, as for rights loaded by the import).
- Only days actually paid are charged to the rights: ``days_paid`` is the amount divided by
  the daily rate, rounded down. The days of the month that were not paid are carried over
  (``days_deferred``): they push the end of rights back.
- The payment is made 3 working days after the declaration; Saturdays, Sundays and French
  public holidays (the ``holidays`` package) are not working days.

What it leaves out (the real rules have them): the 7-day waiting period and the deferrals
of the first payment, degressivity, the 30.42-day months before April 2025, social
contributions, partial months at the start and end of rights, and the ASS/AREF variants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays

MONTH_DAYS = 30
ACTIVITY_SHARE = Decimal("0.70")
PAYMENT_DELAY_WORKING_DAYS = 3
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RightsTerms:
    """What the rights say for the month's computation."""

    daily_net_rate: Decimal  # euros per day, at most 2 decimals
    # The monthly reference salary (gross), the cap; None when unknown (imported rights).
    reference_salary_cents: int | None
    days_left: int


@dataclass(frozen=True, slots=True)
class MonthDeclaration:
    """The facts of one month's declaration (the fields of the actualisation's MonthFacts)."""

    account_id: int
    period: date  # first day of the declared month
    hours_worked: int
    gross_pay_cents: int
    sick_days: int
    days_not_looking: int
    still_looking: bool


@dataclass(frozen=True, slots=True)
class PaymentBreakdown:
    """How one month's payment was computed: every step is shown to the candidat."""

    period: date
    month_days: int  # 30
    deducted_days: int  # sick days and days not looking
    payable_days: int  # days the allowance runs for, before activity
    base_cents: int  # payable_days × daily rate
    activity_deduction_cents: int  # 70 % of the gross pay
    cap_cents: int | None  # reference salary − gross pay (never below 0); None: no cap known
    capped: bool  # the cap lowered the amount
    amount_cents: int  # what is paid
    days_paid: int  # days charged to the rights
    days_deferred: int  # days not paid this month: the end of rights moves back
    days_left_after: int

    def columns(self) -> dict[str, object]:
        """The payment row's columns this computation fills (``indemnisation_payments``)."""
        return {
            "amount_cents": self.amount_cents,
            "allocations_cents": self.amount_cents,
            "deducted_days": self.deducted_days,
            "payable_days": self.payable_days,
            "base_cents": self.base_cents,
            "activity_deduction_cents": self.activity_deduction_cents,
            "cap_cents": self.cap_cents,
            "capped": self.capped,
            "days_paid": self.days_paid,
            "days_deferred": self.days_deferred,
        }


def to_cents(euros: Decimal) -> int:
    """Euros to integer cents, half up."""
    return int((euros / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute_payment(terms: RightsTerms, month: MonthDeclaration) -> PaymentBreakdown:
    """The month's payment under the simplified ARE rules (see the module docstring)."""
    if terms.daily_net_rate < 0 or terms.days_left < 0 or (terms.reference_salary_cents or 0) < 0:
        raise ValueError("rights terms must not be negative")
    if min(month.gross_pay_cents, month.sick_days, month.days_not_looking) < 0:
        raise ValueError("declared facts must not be negative")
    deducted = min(MONTH_DAYS, month.sick_days + month.days_not_looking)
    if not month.still_looking and month.days_not_looking == 0:
        deducted = MONTH_DAYS
    runnable = min(MONTH_DAYS, terms.days_left)
    payable = max(0, min(MONTH_DAYS - deducted, runnable))
    base = to_cents(terms.daily_net_rate * payable)
    activity = to_cents(Decimal(month.gross_pay_cents) * CENT * ACTIVITY_SHARE)
    after_activity = max(0, base - activity)
    if terms.reference_salary_cents is None:
        cap = None
        amount = after_activity
    else:
        cap = max(0, terms.reference_salary_cents - month.gross_pay_cents)
        amount = min(after_activity, cap)
    rate_cents = to_cents(terms.daily_net_rate)
    days_paid = min(payable, amount // rate_cents) if rate_cents > 0 else 0
    return PaymentBreakdown(
        period=month.period,
        month_days=MONTH_DAYS,
        deducted_days=deducted,
        payable_days=payable,
        base_cents=base,
        activity_deduction_cents=activity,
        cap_cents=cap,
        capped=cap is not None and cap < after_activity,
        amount_cents=amount,
        days_paid=days_paid,
        days_deferred=runnable - days_paid,
        days_left_after=terms.days_left - days_paid,
    )


@lru_cache(maxsize=32)
def _french_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a French public holiday."""
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def payment_date(declared_on: date) -> date:
    """When the payment of a declaration made on ``declared_on`` is made."""
    return add_working_days(declared_on, PAYMENT_DELAY_WORKING_DAYS)


def rights_end(start: date, days_granted: int, days_deferred: int) -> date:
    """The expected last day of rights: the days granted, pushed back by unpaid days."""
    return start + timedelta(days=days_granted + days_deferred - 1)


def format_euros(cents: int) -> str:
    """French money: ``142,65 €`` (narrow no-break space between thousands, no-break space
    before the sign), e.g. ``1 234,50 €``."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"


def format_rate(rate: Decimal) -> str:
    """A daily rate the French way: ``38,45 €``."""
    return format_euros(to_cents(rate))
