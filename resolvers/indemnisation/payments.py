"""Payments: computed from a month's declaration by the rules, and listed (they are made
on their date by ``resolvers.indemnisation.payrun``).

``compute_month_payment`` is the hook the monthly declaration calls once a declaration is
accepted (``resolvers.actualisation.facts.on_declaration_accepted`` at integration); until
then an adviser calls it through ``indemnisationPaymentCompute``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from models.indemnisation import Payment, PaymentStatus, Rights, RightsState, Source
from resolvers.bank.accounts import effective_account, mask_iban
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.owners import owned_by
from resolvers.indemnisation.rights import rights_of
from resolvers.indemnisation.rules import (
    MonthDeclaration,
    RightsTerms,
    compute_payment,
    format_euros,
    payment_date,
)

PARIS = ZoneInfo("Europe/Paris")
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def paris_day(moment: datetime) -> date:
    """The calendar day in Paris at ``moment``."""
    return moment.astimezone(PARIS).date()


def month_label(period: date) -> str:
    """« mars 2026 »."""
    return f"{MONTHS[period.month - 1]} {period.year}"


def no_rights() -> DomainError:
    return DomainError.single(
        None, ErrorCode.NO_RIGHTS, "Aucun droit ouvert : pas de paiement à calculer."
    )


async def compute_month_payment(
    session: AsyncSession, month: MonthDeclaration, now: datetime
) -> Payment:
    """Compute and schedule the month's payment; charge the days paid to the rights.

    Once per month (DUPLICATE after). The bank account is the one in effect at ``now``.
    """
    rights = await rights_of(session, month.account_id, lock=True)
    if rights is None or rights.state != RightsState.OUVERT:
        raise no_rights()
    period = month.period.replace(day=1)
    key = f"rules:{period:%Y-%m}"
    exists = await session.scalar(
        select(Payment.id).where(Payment.account_id == month.account_id, Payment.key == key)
    )
    if exists is not None:
        raise DomainError.single(
            "period", ErrorCode.DUPLICATE, "Le paiement de ce mois est déjà calculé."
        )
    return await schedule_payment(session, rights, month, now)


async def schedule_payment(
    session: AsyncSession, rights: Rights, month: MonthDeclaration, now: datetime
) -> Payment:
    """Compute the month's payment under ``rights`` (open, locked by the caller, the month not
    computed yet) and schedule it; charge the days paid to the rights."""
    period = month.period.replace(day=1)
    terms = RightsTerms(rights.daily_net_rate, rights.reference_salary_cents, rights.days_left)
    done = compute_payment(terms, month)
    bank = await effective_account(session, month.account_id, now)
    payment = Payment(
        account_id=month.account_id,
        key=f"rules:{period:%Y-%m}",
        source=Source.RULES.value,
        status=PaymentStatus.SCHEDULED.value,
        period=period,
        paid_on=payment_date(paris_day(now)),
        daily_net_rate=rights.daily_net_rate,
        hours_worked=month.hours_worked,
        gross_pay_cents=month.gross_pay_cents,
        bank_account_masked=mask_iban(bank.iban) if bank is not None else None,
        **done.columns(),
    )
    session.add(payment)
    rights.days_left = done.days_left_after
    rights.days_deferred += done.days_deferred
    if rights.days_left == 0:
        rights.state = RightsState.EPUISE.value
    rights.updated_at = now
    await session.flush()
    return payment


def breakdown_lines(payment: Payment) -> list[str]:
    """The computation in French sentences (empty for an imported payment)."""
    if payment.source != Source.RULES or payment.base_cents is None:
        return []
    lines = [
        f"Jours indemnisables : {payment.payable_days} sur 30 "
        f"({payment.deducted_days} jour(s) déduit(s) : arrêt maladie ou recherche interrompue)",
        f"Montant avant activité : {format_euros(payment.base_cents)}",
    ]
    if payment.gross_pay_cents:
        lines.append(
            f"Activité reprise : {format_euros(payment.gross_pay_cents)} brut, "
            f"70 % déduits ({format_euros(payment.activity_deduction_cents or 0)})"
        )
    if payment.capped:
        lines.append(
            f"Plafond (salaire de référence moins salaire du mois) : "
            f"{format_euros(payment.cap_cents or 0)}"
        )
    lines.append(f"Jours décomptés de vos droits : {payment.days_paid}")
    return lines


def payments_select(account_id: int) -> Select[Payment]:
    """Every payment of the account (for ``totalCount``)."""
    return select(Payment).where(owned_by(Payment, account_id))


async def payments_page(
    session: AsyncSession, account_id: int, after_id: int | None, limit: int
) -> tuple[Sequence[Payment], bool]:
    """« Mes allocations »: the account's payments, latest payment day first."""
    stmt = payments_select(account_id)
    if after_id is not None:
        cursor = (
            select(Payment.paid_on, Payment.id)
            .where(Payment.id == after_id, owned_by(Payment, account_id))
            .subquery()
        )
        stmt = stmt.where(
            tuple_(Payment.paid_on, Payment.id)
            < tuple_(select(cursor.c.paid_on).scalar_subquery(), after_id)
        )
    stmt = stmt.order_by(Payment.paid_on.desc(), Payment.id.desc()).limit(limit + 1)
    rows = (await session.scalars(stmt)).all()
    return rows[:limit], len(rows) > limit


def last_payment_select(account_id: Any) -> Select[Payment]:
    """The last payment made (« mon dernier versement »), a value or a bound parameter (the
    compiled reads carry this very statement as JSON: ``schema.indemnisation.compiled``)."""
    return (
        select(Payment)
        .where(owned_by(Payment, account_id), Payment.status == PaymentStatus.PAID.value)
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
        .limit(1)
    )


async def last_payment(session: AsyncSession, account_id: int) -> Payment | None:
    """The last payment made (« mon dernier versement »)."""
    return await session.scalar(last_payment_select(account_id))


def last_payment_sentence(payment: Payment | None) -> str | None:
    """« Au 30/09/2011 mon dernier versement est de 142,65 € net »."""
    if payment is None:
        return None
    return (
        f"Au {payment.paid_on:%d/%m/%Y} mon dernier versement est de "
        f"{format_euros(payment.amount_cents)} net"
    )
