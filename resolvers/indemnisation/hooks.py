"""Where the monthly declaration meets the allowance.

The actualisation domain builds a ``MonthFacts`` from an accepted declaration and calls
its ``on_declaration_accepted`` subscribers; ``payment_on_declaration`` is the allowance's
subscriber (registered by ``resolvers.file_wiring.wire``). It takes any object with
MonthFacts' fields, so neither domain imports the other's types.

Subscribers are called after the first submission AND after each correction, so this one is
idempotent per (account, month):
- no payment yet for the month: it is computed and scheduled;
- a payment still SCHEDULED (not paid): the correction recomputes it. The days the first
  computation charged to the rights are given back, the old payment is replaced, and the
  new one is scheduled 3 working days after the correction;
- a payment already PAID: the correction leaves it as it is (regularising an amount already
  paid, an overpayment or a complement, is the adviser's business, not this model's).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.indemnisation import Payment, PaymentStatus, RightsState
from resolvers.indemnisation.payments import schedule_payment
from resolvers.indemnisation.rights import rights_of
from resolvers.indemnisation.rules import MonthDeclaration


class MonthFactsLike(Protocol):
    """The fields of ``resolvers.actualisation.facts.MonthFacts``."""

    @property
    def account_id(self) -> int: ...
    @property
    def period(self) -> date: ...
    @property
    def hours_worked(self) -> int: ...
    @property
    def gross_pay_cents(self) -> int: ...
    @property
    def sick_days(self) -> int: ...
    @property
    def days_not_looking(self) -> int: ...
    @property
    def still_looking(self) -> bool: ...


def month_of(facts: MonthFactsLike) -> MonthDeclaration:
    """The rules' input from the declaration's facts."""
    return MonthDeclaration(
        account_id=facts.account_id,
        period=facts.period.replace(day=1),
        hours_worked=facts.hours_worked,
        gross_pay_cents=facts.gross_pay_cents,
        sick_days=facts.sick_days,
        days_not_looking=facts.days_not_looking,
        still_looking=facts.still_looking,
    )


async def payment_on_declaration(
    session: AsyncSession, facts: MonthFactsLike, now: datetime
) -> Payment | None:
    """Compute (or recompute) the month's payment in the declaration's transaction; None
    for a candidat without open rights (nothing to pay, not an error for the declaration).
    A payment already made is returned untouched."""
    rights = await rights_of(session, facts.account_id, lock=True)
    if rights is None:
        return None
    month = month_of(facts)
    key = f"rules:{month.period:%Y-%m}"
    existing = await session.scalar(
        select(Payment).where(Payment.account_id == facts.account_id, Payment.key == key)
    )
    if existing is not None:
        if existing.status != PaymentStatus.SCHEDULED.value:
            return existing
        # Give back what the replaced computation charged to the rights.
        rights.days_left += existing.days_paid or 0
        rights.days_deferred -= existing.days_deferred or 0
        if rights.state == RightsState.EPUISE.value and rights.days_left > 0:
            rights.state = RightsState.OUVERT.value
        await session.delete(existing)
        await session.flush()
    if rights.state != RightsState.OUVERT:
        return None
    # The rights are locked and the month has no payment: schedule it without reading
    # them again.
    return await schedule_payment(session, rights, month, now)
