"""The allowance's GraphQL types: money, rights, payments and their computation."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy import select
from strawberry import relay

from models.identity import AccountKind
from models.indemnisation import AllowanceKind, PaymentStatus, RightsState, Source
from models.indemnisation import Payment as PaymentModel
from models.indemnisation import Rights as RightsModel
from resolvers.core.owners import owned_by
from resolvers.core.paging import count_rows
from resolvers.indemnisation import payments as payment_reads
from resolvers.indemnisation.rights import expected_end, rights_of
from resolvers.indemnisation.rules import format_euros, to_cents
from schema.core.base import build_connection, decode_cursor, described_enum, page_size
from schema.core.context import Info
from schema.core.paging import TOTAL_COUNT, count_of

RightsStateEnum = described_enum(
    RightsState,
    "RightsState",
    "The state of the candidat's allowance rights.",
    {
        RightsState.EXAMEN: "En examen: the claim is being examined.",
        RightsState.OUVERT: "Ouvert: rights are open and the allowance is paid.",
        RightsState.SUSPENDU: "Suspendu: payment is suspended.",
        RightsState.EPUISE: "Épuisé: every allowance day has been used.",
        RightsState.NON_INDEMNISE: "Non indemnisé: the candidat receives no allowance.",
    },
)
AllowanceKindEnum = described_enum(
    AllowanceKind,
    "AllowanceKind",
    "The kind of allowance paid.",
    {
        AllowanceKind.ARE: "ARE (allocation d'aide au retour à l'emploi): unemployment insurance.",
        AllowanceKind.ASS: "ASS (allocation de solidarité spécifique): the solidarity allowance.",
        AllowanceKind.AREF: "AREF (ARE formation): the allowance paid during a training course.",
    },
)
PaymentStatusEnum = described_enum(
    PaymentStatus,
    "PaymentStatus",
    "Whether a payment has been made.",
    {
        PaymentStatus.SCHEDULED: "Scheduled: to be paid on its day.",
        PaymentStatus.PAID: "Paid: the money was sent.",
    },
)
PaymentSourceEnum = described_enum(
    Source,
    "PaymentSource",
    "Where a payment's amount comes from.",
    {
        Source.RULES: "Computed here from the monthly declaration.",
        Source.ADVISER: "Set by an adviser.",
        Source.IMPORT: "Imported from the upstream system.",
    },
)


@strawberry.type(description="An amount of money in euros.")
class Money:
    cents: int = strawberry.field(description="The amount in cents (integer).")
    formatted: str = strawberry.field(description="French formatting, e.g. « 142,65 € ».")

    @classmethod
    def of(cls, cents: int) -> Money:
        return cls(cents=cents, formatted=format_euros(cents))

    @classmethod
    def maybe(cls, cents: int | None) -> Money | None:
        return cls.of(cents) if cents is not None else None


@strawberry.type(description="How a computed payment was reached (simplified ARE rules).")
class PaymentComputation:
    daily_net_rate: Money = strawberry.field(description="The daily net rate applied.")
    month_days: int = strawberry.field(description="Days in a full month: always 30.")
    deducted_days: int = strawberry.field(description="Sick days and days not looking.")
    payable_days: int = strawberry.field(description="Days the allowance ran for.")
    base: Money = strawberry.field(description="Payable days × daily rate.")
    hours_worked: int = strawberry.field(description="Hours worked in the month.")
    gross_pay: Money = strawberry.field(description="Gross pay earned in the month.")
    activity_deduction: Money = strawberry.field(description="70 % of the gross pay.")
    cap: Money | None = strawberry.field(
        description="Reference salary minus the gross pay; null when the salary is unknown."
    )
    capped: bool = strawberry.field(description="Whether the cap lowered the amount.")
    days_paid: int = strawberry.field(description="Days charged to the rights.")
    days_deferred: int = strawberry.field(
        description="Days of the month not paid: they push the end of rights back."
    )


def computation_of(p: PaymentModel) -> PaymentComputation | None:
    if p.source != Source.RULES or p.base_cents is None or p.daily_net_rate is None:
        return None
    return PaymentComputation(
        daily_net_rate=Money.of(to_cents(p.daily_net_rate)),
        month_days=30,
        deducted_days=p.deducted_days or 0,
        payable_days=p.payable_days or 0,
        base=Money.of(p.base_cents),
        hours_worked=p.hours_worked or 0,
        gross_pay=Money.of(p.gross_pay_cents or 0),
        activity_deduction=Money.of(p.activity_deduction_cents or 0),
        cap=Money.maybe(p.cap_cents),
        capped=bool(p.capped),
        days_paid=p.days_paid or 0,
        days_deferred=p.days_deferred or 0,
    )


@strawberry.type(description="One payment of the allowance.")
class Payment(relay.Node):
    id: relay.NodeID[int]
    status: PaymentStatusEnum = strawberry.field(description="Scheduled or paid.")  # type: ignore[valid-type]
    source: PaymentSourceEnum = strawberry.field(description="Where it comes from.")  # type: ignore[valid-type]
    period: date | None = strawberry.field(description="First day of the month it pays.")
    paid_on: date = strawberry.field(description="The day it is (or was) paid.")
    amount: Money = strawberry.field(description="Net amount paid.")
    allocations: Money = strawberry.field(description="Of which allowance.")
    aides: Money = strawberry.field(description="Of which aids.")
    autres: Money = strawberry.field(description="Of which other amounts.")
    bank_account: str | None = strawberry.field(
        description="The account it goes to, masked (FR76 •••• •••• •••• 1234)."
    )
    computation: PaymentComputation | None = strawberry.field(
        description="How it was computed; null for imported payments."
    )

    @classmethod
    def from_model(cls, p: PaymentModel) -> Payment:
        return cls(
            id=p.id,
            status=PaymentStatus(p.status),
            source=Source(p.source),
            period=p.period,
            paid_on=p.paid_on,
            amount=Money.of(p.amount_cents),
            allocations=Money.of(p.allocations_cents),
            aides=Money.of(p.aides_cents),
            autres=Money.of(p.autres_cents),
            bank_account=p.bank_account_masked,
            computation=computation_of(p),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Payment | None]:
        viewer = info.context.viewer
        ids = [int(i) if i.isdigit() else 0 for i in node_ids]
        if viewer is None:
            return [None] * len(ids)
        rows = await info.context.read_session().scalars(
            select(PaymentModel).where(
                PaymentModel.id.in_(ids), owned_by(PaymentModel, viewer.account.id)
            )
        )
        found = {r.id: r for r in rows.all()}
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of payments, latest payment day first.")
class PaymentConnection(relay.Connection[Payment]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


@strawberry.type(description="The candidat's allowance rights (« Mes droits »).")
class Indemnisation:
    account_id: strawberry.Private[int]
    agency_id: strawberry.Private[int | None]
    state: RightsStateEnum = strawberry.field(description="Where the rights stand.")  # type: ignore[valid-type]
    kind: AllowanceKindEnum = strawberry.field(description="The allowance.")  # type: ignore[valid-type]
    daily_net_rate: Money = strawberry.field(description="Net allowance per day.")
    reference_salary: Money | None = strawberry.field(
        description="Monthly reference salary (the cap with resumed work); null if unknown."
    )
    start_date: date | None = strawberry.field(description="When the rights start.")
    days_granted: int = strawberry.field(description="Days of allowance granted.")
    days_left: int = strawberry.field(description="Days not paid yet.")
    days_deferred: int = strawberry.field(
        description="Unpaid days (sickness, activity…) that pushed the end back."
    )
    expected_end: date | None = strawberry.field(description="Expected last day of rights.")
    last_loaded: strawberry.Private[asyncio.Future[PaymentModel | None] | None] = None

    @classmethod
    def from_model(cls, r: RightsModel) -> Indemnisation:
        return cls(
            account_id=r.account_id,
            agency_id=r.agency_id,
            state=RightsState(r.state),
            kind=AllowanceKind(r.kind),
            daily_net_rate=Money.of(to_cents(r.daily_net_rate)),
            reference_salary=Money.maybe(r.reference_salary_cents),
            start_date=r.start_date,
            days_granted=r.days_granted,
            days_left=r.days_left,
            days_deferred=r.days_deferred,
            expected_end=expected_end(r),
        )

    def _readable(self, info: Info) -> bool:
        viewer = info.context.viewer
        if viewer is None:
            return False
        account = viewer.account
        if account.id == self.account_id:
            return True
        return account.kind == AccountKind.CONSEILLER and account.agency_id == self.agency_id

    @strawberry.field(
        description="« Mes allocations »: payments, latest payment day first. Pages forward "
        "only (`first`/`after`): the order is by payment day then id, not one growing key, "
        "so `last`/`before` are not offered."
    )
    async def payments(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (20 by default).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="The `endCursor` of the previous page.")
        ] = None,
    ) -> PaymentConnection:
        size = page_size(info, first)
        after_id = decode_cursor(after)
        rows: list[PaymentModel] = []
        has_next = False
        if self._readable(info):
            found, has_next = await payment_reads.payments_page(
                info.context.read_session(), self.account_id, after_id, size
            )
            rows = list(found)
        connection = build_connection(
            PaymentConnection,
            rows,
            has_next,
            Payment.from_model,
            key=lambda p: p.id,
            has_previous=after_id is not None,
        )
        if self._readable(info):
            session = info.context.read_session()
            stmt = payment_reads.payments_select(self.account_id)
            connection.count_rows = lambda: count_rows(session, stmt)  # type: ignore[attr-defined]
        return connection

    async def _last(self, info: Info) -> PaymentModel | None:
        # lastPayment and lastPaymentSentence share one query.
        if not self._readable(info):
            return None
        if self.last_loaded is None:
            self.last_loaded = asyncio.ensure_future(
                payment_reads.last_payment(info.context.read_session(), self.account_id)
            )
        return await self.last_loaded

    @strawberry.field(description="The last payment made, if any.")
    async def last_payment(self, info: Info) -> Payment | None:
        found = await self._last(info)
        return Payment.from_model(found) if found is not None else None

    @strawberry.field(
        description="« Au 30/09/2011 mon dernier versement est de 142,65 € net », for the "
        "dashboard; null before the first payment."
    )
    async def last_payment_sentence(self, info: Info) -> str | None:
        return payment_reads.last_payment_sentence(await self._last(info))


async def viewer_indemnisation(info: Info, account_id: int) -> Indemnisation | None:
    """``viewer.indemnisation``: the signed-in candidat's rights, or null."""
    found = await rights_of(info.context.read_session(), account_id)
    return Indemnisation.from_model(found) if found is not None else None
