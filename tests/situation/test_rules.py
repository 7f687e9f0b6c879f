"""The pure rules of the changes of situation (resolvers/situation/rules.py), by example and
by property."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from models.situation import ContractKind, SituationKind
from refdata import ReferenceData
from resolvers.actualisation.facts import MonthFacts
from resolvers.core.errors import ErrorCollector
from resolvers.indemnisation.rules import MonthDeclaration, RightsTerms, compute_payment
from resolvers.situation.form import SituationForm, check_form
from resolvers.situation.recompute import deducted_days
from resolvers.situation.rules import (
    ABSENCE_DAYS_PER_YEAR,
    Span,
    absence_days_in_year,
    absence_days_over,
    month_deduction,
    month_span,
    work_outcome,
)

FAST = settings(max_examples=150, deadline=None)


@lru_cache(maxsize=1)
def refdata() -> ReferenceData:
    return ReferenceData.load()


YEAR = date(2026, 1, 1)
days_2026 = st.integers(0, 364).map(lambda n: YEAR + timedelta(days=n))
spans = st.builds(
    lambda start, length: Span(start, start + timedelta(days=length)),
    days_2026,
    st.integers(0, 40),
)
periods = st.integers(1, 12).map(lambda m: date(2026, m, 1))


def test_work_outcomes() -> None:
    assert work_outcome(ContractKind.CDI, 35, 1).ceases
    assert work_outcome(ContractKind.CDI, 34, 1) == work_outcome(ContractKind.CDD, 34, 1)
    assert work_outcome(ContractKind.CDD, 40, 2).category == 5
    assert work_outcome(ContractKind.INTERIM, 18, 3).category == 3
    assert work_outcome(ContractKind.SAISONNIER, 19, 3).category == 5


def test_a_full_time_cdi_stops_the_month_from_its_first_day() -> None:
    done = month_deduction(date(2026, 12, 1), [], [], date(2026, 12, 7), None, False)
    assert done.days_not_looking == 25
    # unless the declaration already says the candidat stopped looking
    assert month_deduction(date(2026, 12, 1), [], [], date(2026, 12, 7), None, True) == (
        month_deduction(date(2026, 12, 1), [], [], None, None, True)
    )


@FAST
@given(st.lists(spans, max_size=6))
def test_only_the_days_past_35_a_year_count(absences: list[Span]) -> None:
    total = absence_days_in_year(absences, 2026)
    assert len(absence_days_over(absences, 2026)) == max(0, total - ABSENCE_DAYS_PER_YEAR)


@FAST
@given(periods, st.lists(spans, max_size=4), st.lists(spans, max_size=4), st.none() | spans)
def test_a_sick_day_counts_once_and_a_month_never_loses_more_than_its_days(
    period: date, sick: list[Span], absences: list[Span], declared: Span | None
) -> None:
    done = month_deduction(period, sick, absences, None, declared, False)
    month = set(month_span(period).each_day())
    sick_days = {d for s in sick for d in s.each_day()} & month
    declared_days = set(declared.each_day()) if declared else set()
    assert done.sick_days == len(sick_days - declared_days)
    assert 0 <= done.sick_days + done.days_not_looking <= len(month)
    # absence days past 35 never fall on a sick day
    over = absence_days_over(absences, 2026) & month
    assert done.days_not_looking == len(over - sick_days - declared_days)


texts = st.none() | st.text(max_size=250)
any_dates = st.none() | st.dates()


@FAST
@given(
    st.sampled_from(list(SituationKind)),
    any_dates,
    any_dates,
    texts,
    st.none() | st.sampled_from(list(ContractKind)),
    st.none() | st.integers(-(2**31), 2**31 - 1),
    texts,
    texts,
    texts,
)
def test_any_form_gives_values_or_field_errors_never_an_exception(
    kind: SituationKind,
    start: date | None,
    end: date | None,
    employer: str | None,
    contract: ContractKind | None,
    hours: int | None,
    organisme: str | None,
    adresse: str | None,
    postal_code: str | None,
) -> None:
    form = SituationForm(
        kind, start, end, employer, contract, hours, organisme, adresse, None, None, postal_code
    )
    errors = ErrorCollector()
    checked = check_form(errors, refdata(), form, date(2026, 11, 20), [])
    assert (checked is None) == bool(errors.errors)
    assert all(e.field is None or e.message for e in errors.errors)
    if checked is not None:
        assert checked.end is None or checked.start <= checked.end


@FAST
@given(
    st.integers(0, 31),
    st.integers(0, 31),
    st.booleans(),
)
def test_the_deducted_days_are_those_of_the_allowance_rules(
    sick: int, not_looking: int, still_looking: bool
) -> None:
    facts = MonthFacts(1, date(2026, 9, 1), 0, 0, sick, not_looking, still_looking)
    terms = RightsTerms(Decimal("38.45"), None, 365)
    month = MonthDeclaration(1, date(2026, 9, 1), 0, 0, sick, not_looking, still_looking)
    assert deducted_days(facts) == compute_payment(terms, month).deducted_days
