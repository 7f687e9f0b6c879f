"""The payment rules, property-tested: pure functions, integer cents, Decimal rates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from resolvers.indemnisation.importer import parse_record
from resolvers.indemnisation.rules import (
    MONTH_DAYS,
    MonthDeclaration,
    RightsTerms,
    add_working_days,
    compute_payment,
    format_euros,
    is_working_day,
    payment_date,
    rights_end,
)

rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300"), places=2)
cents = st.integers(min_value=0, max_value=2_000_000)
days = st.integers(min_value=0, max_value=40)
terms_st = st.builds(
    RightsTerms, daily_net_rate=rates, reference_salary_cents=cents, days_left=st.integers(0, 900)
)
months = st.builds(
    MonthDeclaration,
    account_id=st.just(1),
    period=st.just(date(2026, 3, 1)),
    hours_worked=st.integers(0, 450),
    gross_pay_cents=cents,
    sick_days=days,
    days_not_looking=days,
    still_looking=st.booleans(),
)
FAST = settings(max_examples=150, deadline=None)


def month(**changes: Any) -> MonthDeclaration:
    return replace(MonthDeclaration(1, date(2026, 3, 1), 0, 0, 0, 0, True), **changes)


def test_a_full_month_without_activity_pays_thirty_daily_rates() -> None:
    # Given 38,45 € a day and a month with nothing to declare
    terms = RightsTerms(Decimal("38.45"), 250_000, 200)
    # When the month is computed
    paid = compute_payment(terms, month())
    # Then it is 30 × 38,45 € = 1 153,50 €, 30 days charged, nothing deferred
    assert paid.amount_cents == 115_350 and paid.days_paid == 30 and paid.days_deferred == 0
    assert paid.days_left_after == 170 and not paid.capped


def test_the_issue_s_month_40_hours_at_600_euros() -> None:
    # Given 38,45 € a day, a 2 000 € reference salary, and 600 € gross earned in the month
    terms = RightsTerms(Decimal("38.45"), 200_000, 200)
    paid = compute_payment(terms, month(hours_worked=40, gross_pay_cents=60_000))
    # Then 70 % of 600 € (420 €) is deducted: 1 153,50 − 420 = 733,50 €, under the cap (1 400 €)
    assert paid.activity_deduction_cents == 42_000 and paid.amount_cents == 73_350
    assert paid.cap_cents == 140_000 and not paid.capped
    # And only 19 days (733,50 / 38,45) are charged: 11 days push the end back
    assert paid.days_paid == 19 and paid.days_deferred == 11


def test_the_cap_keeps_pay_plus_allowance_under_the_reference_salary() -> None:
    terms = RightsTerms(Decimal("60"), 150_000, 200)
    paid = compute_payment(terms, month(gross_pay_cents=100_000))
    # 1 800 − 700 = 1 100 € after activity, but 1 000 € + 1 100 € > 1 500 €: capped at 500 €
    assert paid.amount_cents == 50_000 and paid.capped


def test_sick_days_and_days_not_looking_are_not_paid() -> None:
    terms = RightsTerms(Decimal("40"), 500_000, 200)
    paid = compute_payment(terms, month(sick_days=5, days_not_looking=3))
    assert paid.deducted_days == 8 and paid.amount_cents == 22 * 4000
    assert paid.days_deferred == 8
    assert compute_payment(terms, month(still_looking=False)).amount_cents == 0


def test_no_cap_when_the_reference_salary_is_unknown() -> None:
    paid = compute_payment(RightsTerms(Decimal("60"), None, 200), month(gross_pay_cents=100_000))
    assert paid.amount_cents == 110_000 and paid.cap_cents is None and not paid.capped


def test_the_last_days_of_rights() -> None:
    paid = compute_payment(RightsTerms(Decimal("40"), 500_000, 12), month())
    assert paid.amount_cents == 48_000 and paid.days_left_after == 0


@FAST
@given(terms_st, months)
def test_amount_is_bounded_and_days_add_up(terms: RightsTerms, m: MonthDeclaration) -> None:
    paid = compute_payment(terms, m)
    full = int(terms.daily_net_rate * 100) * MONTH_DAYS
    assert 0 <= paid.amount_cents <= min(full, paid.base_cents)
    # pay + allowance never above the reference salary (unless the pay alone is)
    assert terms.reference_salary_cents is not None
    assert paid.amount_cents <= max(0, terms.reference_salary_cents - m.gross_pay_cents)
    assert paid.days_paid + paid.days_deferred == min(MONTH_DAYS, terms.days_left)
    assert 0 <= paid.days_paid <= paid.payable_days
    assert paid.days_left_after == terms.days_left - paid.days_paid >= 0
    assert paid.days_paid * int(terms.daily_net_rate * 100) <= paid.amount_cents


@FAST
@given(terms_st, months, cents)
def test_earning_more_never_raises_the_allowance(
    terms: RightsTerms, m: MonthDeclaration, extra: int
) -> None:
    more = month(**{"gross_pay_cents": m.gross_pay_cents + extra, "sick_days": m.sick_days})
    less = month(gross_pay_cents=m.gross_pay_cents, sick_days=m.sick_days)
    assert compute_payment(terms, more).amount_cents <= compute_payment(terms, less).amount_cents


@FAST
@given(terms_st, months, st.integers(1, 30))
def test_more_sick_days_never_raise_the_allowance(
    terms: RightsTerms, m: MonthDeclaration, extra: int
) -> None:
    sicker = month(gross_pay_cents=m.gross_pay_cents, sick_days=m.sick_days + extra)
    same = month(gross_pay_cents=m.gross_pay_cents, sick_days=m.sick_days)
    assert compute_payment(terms, sicker).amount_cents <= compute_payment(terms, same).amount_cents


@FAST
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_payment_comes_three_working_days_later(day: date) -> None:
    paid_on = payment_date(day)
    between = [day + timedelta(days=i) for i in range(1, (paid_on - day).days + 1)]
    assert is_working_day(paid_on)
    assert sum(is_working_day(d) for d in between) == 3
    assert (paid_on - day).days <= 10


def test_public_holidays_are_not_working_days() -> None:
    # Thursday 30 April 2026: 1 May (Friday) is a holiday, then the weekend, then 4, 5, 6 May
    assert payment_date(date(2026, 4, 30)) == date(2026, 5, 6)
    # Wednesday 23 December 2026: Christmas Day is skipped
    assert payment_date(date(2026, 12, 23)) == date(2026, 12, 29)
    assert not is_working_day(date(2026, 7, 14))
    assert add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 17)


def test_unpaid_days_push_the_end_of_rights_back() -> None:
    start = date(2026, 1, 1)
    assert rights_end(start, 365, 0) == date(2026, 12, 31)
    assert rights_end(start, 365, 11) == date(2027, 1, 11)


@FAST
@given(st.integers(-(10**9), 10**9))
def test_french_money(amount: int) -> None:
    text = format_euros(amount)
    assert text.endswith("\u00a0€")
    digits = text.removesuffix("\u00a0€").replace("\u202f", "").replace(",", ".")
    assert Decimal(digits) * 100 == amount


def test_french_money_examples() -> None:
    assert format_euros(14265) == "142,65\u00a0€"
    assert format_euros(123456789) == "1\u202f234\u202f567,89\u00a0€"
    assert format_euros(5) == "0,05\u00a0€"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "identifiant",
        "indemnisationJournalierNet",
        "dureeReliquat",
        "dateReliquat",
        "beneficiaireAssuranceChomage",
        "paiements",
    ]
)


@FAST
@given(st.dictionaries(FIELDS, json_values) | json_values)
def test_any_import_record_is_loaded_or_refused_with_reasons(raw: object) -> None:
    # Whatever the upstream sends, a record is either good or refused with its reasons
    record, reasons = parse_record(raw)
    assert (record is None) == bool(reasons)
    if record is not None:
        assert record.rate >= 0 and record.days_left >= 0
        assert all(p.amount >= 0 for p in record.payments)
