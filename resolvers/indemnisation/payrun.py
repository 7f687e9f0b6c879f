"""The payment run: make the scheduled payments whose day has come (Paris time).

Each payment made becomes PAID, a ``PAYMENT_MADE`` dashboard event (pushed live after the
commit) and a mail with the computation. The run goes chunk by chunk, one transaction each
(``pay_due``): a chunk's payments, events and mails commit together, in a handful of
statements whatever the chunk's size, and a failure loses at most the chunk in progress,
which the next run takes again. Rows another process (or lane) holds are skipped
(``SKIP LOCKED``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ground.db import begin_write
from models.dashboard import EventKind
from models.indemnisation import Payment, PaymentStatus
from resolvers.dashboard.bulk_events import NewEvent, record_events
from resolvers.identity.fields import notice_addresses_of
from resolvers.indemnisation.payments import breakdown_lines, month_label, paris_day
from resolvers.indemnisation.rules import format_euros

if TYPE_CHECKING:
    from ground.runtime import Runtime
    from mailer import Mailer

PAY_CHUNK = 2000


async def make_due_payments(
    session: AsyncSession, mailer: Mailer, now: datetime, limit: int = PAY_CHUNK
) -> int:
    """Make up to ``limit`` due payments in the caller's transaction; returns how many."""
    due = (
        await session.scalars(
            select(Payment)
            .where(
                Payment.status == PaymentStatus.SCHEDULED.value,
                Payment.paid_on <= paris_day(now),
            )
            .order_by(Payment.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not due:
        return 0
    await session.execute(
        update(Payment)
        .where(Payment.id.in_([p.id for p in due]))
        .values(status=PaymentStatus.PAID.value, made_at=now)
        # The loaded rows are only read for the announcements (amounts, dates), and the
        # transaction ends with the chunk: no need to evaluate the change on each of them.
        .execution_options(synchronize_session=False)
    )
    await announce_payments(session, mailer, due, now)
    return len(due)


def _context(payment: Payment) -> dict[str, Any]:
    return {
        "amount": format_euros(payment.amount_cents),
        "paid_on": f"{payment.paid_on:%d/%m/%Y}",
        "period": month_label(payment.period) if payment.period else None,
        "bank_account": payment.bank_account_masked,
        "details": breakdown_lines(payment),
    }


async def announce_payments(
    session: AsyncSession, mailer: Mailer, payments: Sequence[Payment], now: datetime
) -> None:
    """The ``PAYMENT_MADE`` events and the mails of payments that have just been made."""
    contexts = {p.id: _context(p) for p in payments}
    events = [
        NewEvent(
            p.account_id,
            {
                "amount": contexts[p.id]["amount"],
                "amountCents": p.amount_cents,
                "paidOn": contexts[p.id]["paid_on"],
            },
            p.id,
        )
        for p in payments
    ]
    await record_events(session, EventKind.PAYMENT_MADE, "payment", events, now)
    addresses = await notice_addresses_of(session, sorted({p.account_id for p in payments}))
    mails = [
        (address, "payment_made", contexts[p.id])
        for p in payments
        for address in addresses.get(p.account_id, [])
    ]
    await mailer.enqueue_many(session, mails)


async def pay_due(
    runtime: Runtime, now: datetime, chunk: int = PAY_CHUNK, lanes: int | None = None
) -> int:
    """The whole run (scheduler's ``indemnisation:pay``, ``espace indemnisation pay``):
    chunks until none is due; returns how many payments were made.

    On PostgreSQL two lanes run side by side (``SKIP LOCKED`` gives each its own chunks), so
    that one renders its mails while the database writes the other's; SQLite, whose writes
    take turns anyway, runs one."""
    if lanes is None:
        lanes = 2 if runtime.engine.dialect.name == "postgresql" else 1

    async def lane() -> int:
        total = 0
        while True:
            async with runtime.sessionmaker() as session, session.begin():
                await begin_write(session)
                made = await make_due_payments(session, runtime.mailer, now, chunk)
            total += made
            if made:
                runtime.mailer.wake()
            if made < chunk:
                return total

    return sum(await asyncio.gather(*(lane() for _ in range(lanes))))
