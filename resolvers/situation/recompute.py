"""A change declared after the month's declaration counts too: the months it touches are
computed again, through the same subscribers as a correction of the declaration
(``resolvers.actualisation.facts.declaration_accepted``, idempotent per account and month).

Only a month whose payment is still SCHEDULED and whose deducted days the change alters is
computed again (so a change that alters nothing never moves a payment's date); a payment
already PAID stays as it was (regularising it is the adviser's business, as for a
correction)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.actualisation import Actualisation
from models.indemnisation import Payment, PaymentStatus
from models.situation import SituationChange, SituationKind
from resolvers.actualisation.facts import MonthFacts, declaration_accepted, month_facts
from resolvers.indemnisation.rules import MONTH_DAYS
from resolvers.situation.payments import with_situation_changes


def deducted_days(facts: MonthFacts) -> int:
    """The days the allowance rules deduct for these facts (as
    ``resolvers.indemnisation.rules.compute_payment`` does; a test keeps the two equal)."""
    if not facts.still_looking and facts.days_not_looking == 0:
        return MONTH_DAYS
    return min(MONTH_DAYS, facts.sick_days + facts.days_not_looking)


def touched_months(row: SituationChange) -> tuple[date, date] | None:
    """The first and last month whose payment the change may alter, or None.

    A sick leave: its months. An absence: from its month to the year's end (it may push
    later absences past the year's 35 days). A full-time CDI: the month it began."""
    kind = SituationKind(row.kind)
    first = row.start_date.replace(day=1)
    if kind == SituationKind.SICK_LEAVE and row.end_date is not None:
        return first, row.end_date.replace(day=1)
    if kind == SituationKind.ABSENCE:
        return first, date(row.start_date.year, 12, 1)
    if kind == SituationKind.WORK_RESUMED and row.effects.get("fullTimeFrom"):
        return first, first
    return None


async def recompute_months(session: AsyncSession, row: SituationChange, now: datetime) -> int:
    """Compute again the months already declared whose scheduled payment the change alters;
    how many."""
    months = touched_months(row)
    if months is None:
        return 0
    declared = (
        await session.scalars(
            select(Actualisation)
            .where(
                Actualisation.account_id == row.account_id,
                Actualisation.period >= months[0],
                Actualisation.period <= months[1],
            )
            .order_by(Actualisation.period)
        )
    ).all()
    keys = [f"rules:{a.period:%Y-%m}" for a in declared]
    scheduled = {
        p.key: p
        for p in await session.scalars(
            select(Payment).where(
                Payment.account_id == row.account_id,
                Payment.key.in_(keys),
                Payment.status == PaymentStatus.SCHEDULED.value,
            )
        )
    }
    done = 0
    for actualisation, key in zip(declared, keys, strict=True):
        payment = scheduled.get(key)
        if payment is None:
            continue
        facts = await with_situation_changes(session, month_facts(actualisation))
        if payment.deducted_days != deducted_days(facts):
            await declaration_accepted(session, actualisation, now)
            done += 1
    return done
