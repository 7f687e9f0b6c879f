"""Where the changes of situation meet the month's payment: the declared sick leaves,
absences and full-time jobs add their days to what the month's declaration deducts
(``resolvers.situation.rules.month_deduction``), before the allowance computes the payment
(``resolvers.file_wiring.pay_month``)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.actualisation import Actualisation
from models.situation import SituationChange, SituationKind
from resolvers.actualisation.facts import MonthFacts
from resolvers.situation.rules import Span, month_deduction, month_span


def _declared_sick(answers: dict[str, Any] | None) -> Span | None:
    sick = (answers or {}).get("sick")
    if not sick:
        return None
    return Span(date.fromisoformat(sick["start"]), date.fromisoformat(sick["end"]))


async def with_situation_changes(session: AsyncSession, facts: MonthFacts) -> MonthFacts:
    """The month's facts with the days the changes of situation deduct (two queries)."""
    month = month_span(facts.period)
    year_start = month.start.replace(month=1, day=1)
    rows = (
        await session.execute(
            select(
                SituationChange.kind,
                SituationChange.start_date,
                SituationChange.end_date,
                SituationChange.effects,
            ).where(
                SituationChange.account_id == facts.account_id,
                SituationChange.start_date <= month.end,
                SituationChange.kind.in_(
                    [SituationKind.SICK_LEAVE, SituationKind.ABSENCE, SituationKind.WORK_RESUMED]
                ),
            )
        )
    ).all()
    sick: list[Span] = []
    absences: list[Span] = []
    full_time: date | None = None
    for kind, start, end, effects in rows:
        if kind == SituationKind.WORK_RESUMED:
            # Only the month the CDI began: the registration ceased then, and a candidat who
            # registers again later is looking for work again.
            if (effects or {}).get("fullTimeFrom") and start >= month.start:
                full_time = start if full_time is None else min(full_time, start)
        elif end is not None and end >= year_start:
            (sick if kind == SituationKind.SICK_LEAVE else absences).append(Span(start, end))
    if not (sick or absences or full_time):
        return facts
    answers = await session.scalar(
        select(Actualisation.answers).where(
            Actualisation.account_id == facts.account_id, Actualisation.period == month.start
        )
    )
    extra = month_deduction(
        facts.period, sick, absences, full_time, _declared_sick(answers), not facts.still_looking
    )
    return dataclasses.replace(
        facts,
        sick_days=facts.sick_days + extra.sick_days,
        days_not_looking=facts.days_not_looking + extra.days_not_looking,
    )
