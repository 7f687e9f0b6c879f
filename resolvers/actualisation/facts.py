"""What a declaration says about the month, as plain data for other domains (the payment
computation of the allowance domain subscribes to ``on_declaration_accepted``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.actualisation import Actualisation
from resolvers.actualisation.windows import next_month


@dataclass(frozen=True, slots=True)
class MonthFacts:
    """One month of one candidat, from the declaration (as last corrected)."""

    account_id: int
    period: date  # the first day of the month
    hours_worked: int
    gross_pay_cents: int
    sick_days: int
    days_not_looking: int
    still_looking: bool


def month_facts(row: Actualisation) -> MonthFacts:
    """The facts of a stored declaration."""
    a: dict[str, Any] = row.answers
    employers = a.get("employers") or []
    end = next_month(row.period)
    sick = a.get("sick")
    sick_days = 0
    if sick:
        sick_days = (date.fromisoformat(sick["end"]) - date.fromisoformat(sick["start"])).days + 1
    not_looking = 0
    if not a.get("stillLooking", True) and a.get("stopDate"):
        not_looking = (end - date.fromisoformat(a["stopDate"])).days
    return MonthFacts(
        account_id=row.account_id,
        period=row.period,
        hours_worked=sum(int(e.get("hours") or 0) for e in employers),
        gross_pay_cents=sum(int(e.get("grossPayCents") or 0) for e in employers),
        sick_days=sick_days,
        days_not_looking=not_looking,
        still_looking=bool(a.get("stillLooking", True)),
    )


# A subscriber gets the transaction, the facts and the declaration's time (the runtime
# clock's now, so that tests drive it).
DeclarationHook = Callable[[AsyncSession, MonthFacts, datetime], Awaitable[None]]

# Subscribers run inside the declaration's transaction (all or nothing), after each
# submission AND each correction: they must be idempotent per (account, month).
# Registered once at start-up (``resolvers.file_wiring.wire``).
on_declaration_accepted: list[DeclarationHook] = []


async def declaration_accepted(
    session: AsyncSession, row: Actualisation, now: datetime
) -> MonthFacts:
    """Tell every subscriber; returns the facts."""
    facts = month_facts(row)
    for hook in list(on_declaration_accepted):
        await hook(session, facts, now)
    return facts
