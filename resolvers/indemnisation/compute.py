"""An adviser computes a month's payment from its declared facts (the stand-in for the
monthly declaration's hook until the two domains are wired)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from models.identity import Account
from models.indemnisation import Payment
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.indemnisation.access import agency_candidat
from resolvers.indemnisation.payments import compute_month_payment
from resolvers.indemnisation.rights import parse_euros
from resolvers.indemnisation.rules import MonthDeclaration

MAX_HOURS = 450
MAX_PAY = Decimal("100000")


@dataclass(frozen=True, slots=True)
class MonthForm:
    """The month's facts as an adviser (or the declaration) gives them."""

    identifiant: str
    period: date
    hours_worked: int
    gross_pay: str
    sick_days: int
    days_not_looking: int
    still_looking: bool


async def compute_for_candidat(
    session: AsyncSession, adviser: Account, form: MonthForm, now: datetime
) -> Payment:
    """``indemnisationPaymentCompute``: check each field, then compute the payment."""
    candidat = await agency_candidat(session, adviser, form.identifiant)
    errors = ErrorCollector()
    if not 0 <= form.hours_worked <= MAX_HOURS:
        errors.add("hoursWorked", ErrorCode.OUT_OF_RANGE, f"Entre 0 et {MAX_HOURS} heures.")
    pay = parse_euros(errors, "grossPay", form.gross_pay, MAX_PAY)
    for field, value in (("sickDays", form.sick_days), ("daysNotLooking", form.days_not_looking)):
        if not 0 <= value <= 31:
            errors.add(field, ErrorCode.OUT_OF_RANGE, "Entre 0 et 31 jours.")
    if form.period > now.date():
        errors.add("period", ErrorCode.OUT_OF_RANGE, "Ce mois n'a pas encore commencé.")
    errors.raise_if_any()
    assert pay is not None
    month = MonthDeclaration(
        account_id=candidat.id,
        period=form.period.replace(day=1),
        hours_worked=form.hours_worked,
        gross_pay_cents=int(pay * 100),
        sick_days=form.sick_days,
        days_not_looking=form.days_not_looking,
        still_looking=form.still_looking,
    )
    return await compute_month_payment(session, month, now)
