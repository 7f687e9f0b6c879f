"""How « Mes droits » maps to the compiled reads (``schema.core.compiled``): the candidat's
own rights row (``viewer.indemnisation``, null without one, as ``rights_of`` reads it), its
amounts as ``Money`` and its expected end built by the interpreter's Python, and the last
payment made (``lastPayment``, ``lastPaymentSentence``): the interpreter's own statement
(``last_payment_select``) carried as JSON, the values built by its functions.

« Mes allocations » (``payments(first, after)``) is a ``Many`` ordered by payment day then
id, its cursors naming the id, as ``payments_page`` pages it; each payment's amounts and
computation are built by ``Money`` and ``computation_of``.

Left to the interpreter: ``candidatIndemnisation`` (an adviser's read, by agency), and
backward pages or bad arguments (as for every list); a document selecting them runs there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import aliased

from models.indemnisation import Payment as PaymentModel
from models.indemnisation import Rights
from resolvers.core.owners import owned_by
from resolvers.indemnisation.payments import last_payment_select, last_payment_sentence
from resolvers.indemnisation.rights import expected_end_of
from resolvers.indemnisation.rules import to_cents
from schema.core.compiled.declare import (
    Computed,
    Many,
    NodeId,
    Row,
    Table,
    ToOne,
    Value,
    viewer_id,
)
from schema.core.compiled.rows import decoder, row_from, row_json
from schema.core.compiled.sqljson import JsonSql, Sql
from schema.indemnisation.types import Money, Payment, PaymentComputation, computation_of

RATE = decoder(Rights.daily_net_rate.type)  # the text of a NUMERIC(9, 2), as the ORM loads it


def daily_net_rate(_runtime: Any, text: str) -> Money:
    return Money.of(to_cents(RATE(text)))


def reference_salary(_runtime: Any, cents: int | None) -> Money | None:
    return Money.maybe(cents)


def expected_end(_runtime: Any, start: str | None, granted: int, deferred: int) -> str | None:
    found = expected_end_of(date.fromisoformat(start) if start else None, granted, deferred)
    return found.isoformat() if found is not None else None


def money(_runtime: Any, cents: int) -> Money:
    return Money.of(cents)


# What ``computation_of`` reads of a payment, in this order.
STEPS = (
    "source",
    "base_cents",
    "daily_net_rate",
    "deducted_days",
    "payable_days",
    "hours_worked",
    "gross_pay_cents",
    "activity_deduction_cents",
    "cap_cents",
    "capped",
    "days_paid",
    "days_deferred",
)
STEP_DECODERS = [decoder(getattr(PaymentModel, name).type) for name in STEPS]


def computation(_runtime: Any, *values: Any) -> PaymentComputation | None:
    """``computation_of`` on a transient payment holding the values as the ORM loads them."""
    loaded = [None if v is None else made(v) for v, made in zip(values, STEP_DECODERS, strict=True)]
    return computation_of(PaymentModel(**dict(zip(STEPS, loaded, strict=True))))


def _step(name: str) -> Any:
    if name == "daily_net_rate":
        return lambda p: cast(p.daily_net_rate, String)
    return lambda p: getattr(p, name)


def _money(name: str) -> Computed:
    return Computed((lambda p: getattr(p, name),), money)


PAYMENT = Table(
    PaymentModel,
    {
        "id": NodeId(),
        "status": Value(lambda p: p.status),
        "source": Value(lambda p: p.source),
        "period": Value(lambda p: p.period),
        "paidOn": Value(lambda p: p.paid_on),
        "amount": _money("amount_cents"),
        "allocations": _money("allocations_cents"),
        "aides": _money("aides_cents"),
        "autres": _money("autres_cents"),
        "bankAccount": Value(lambda p: p.bank_account_masked),
        "computation": Computed(tuple(_step(name) for name in STEPS), computation),
    },
)


def last_payment(_runtime: Any, found: dict[str, Any] | None) -> Payment | None:
    row = row_from(PaymentModel, found)
    return Payment.from_model(row) if row is not None else None


def last_sentence(_runtime: Any, found: dict[str, Any] | None) -> str | None:
    return last_payment_sentence(row_from(PaymentModel, found))


def last_paid(_row: Row, json: JsonSql) -> list[Sql]:
    """The viewer's last payment made, as a JSON object (null before the first one)."""
    return [row_json(json, PaymentModel, last_payment_select(viewer_id()))]


def _decimal_text(t: Row) -> Sql:
    return cast(t.daily_net_rate, String)


INDEMNISATION = Table(
    Rights,
    {
        "state": Value(lambda t: t.state),
        "kind": Value(lambda t: t.kind),
        "startDate": Value(lambda t: t.start_date),
        "daysGranted": Value(lambda t: t.days_granted),
        "daysLeft": Value(lambda t: t.days_left),
        "daysDeferred": Value(lambda t: t.days_deferred),
        "dailyNetRate": Computed((_decimal_text,), daily_net_rate),
        "referenceSalary": Computed((lambda t: t.reference_salary_cents,), reference_salary),
        "expectedEnd": Computed(
            (lambda t: t.start_date, lambda t: t.days_granted, lambda t: t.days_deferred),
            expected_end,
        ),
        # JSON objects among the values: built every time (no ``cache``).
        "lastPayment": Computed((), last_payment, json_args=last_paid, cache=False),
        "lastPaymentSentence": Computed((), last_sentence, json_args=last_paid, cache=False),
        "payments": Many(
            "Payment",
            key=lambda p: p.id,
            descending=True,
            order=lambda p: p.paid_on,
            link=lambda p, rights: p.account_id == rights.account_id,
        ),
    },
)


def _rights_id(viewer: Row) -> Sql:
    """The viewer's rights row (one per account at most: ``account_id`` is unique),
    correlated to the viewer's row two levels up (not the ``ToOne``'s own select)."""
    rights = aliased(Rights)
    found = select(rights.id).where(owned_by(rights, viewer.id)).correlate(viewer)
    return found.scalar_subquery()


VIEWER_INDEMNISATION = ToOne(_rights_id)
"""``viewer.indemnisation``: the account's own rights, whatever its kind, or null."""

TABLES = {"Indemnisation": INDEMNISATION, "Payment": PAYMENT}
