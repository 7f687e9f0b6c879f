"""The bank account as the candidat sees it: masked, with the change waiting, if any."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.bank import BankAccount as BankAccountModel
from resolvers.bank.accounts import effective_account, mask_iban, pending_change
from schema.core.context import Info


@strawberry.type(description="A bank or postal account, masked.")
class BankAccountDetails:
    iban: str = strawberry.field(description="The IBAN, masked: « FR76 •••• •••• •••• 1234 ».")
    bic: str = strawberry.field(description="The bank's BIC.")
    holder: str = strawberry.field(description="The account holder.")
    bank_name: str | None = strawberry.field(description="The bank, when known.")
    effective_at: datetime = strawberry.field(
        description="From when payments computed go to it (UTC)."
    )

    @classmethod
    def from_model(cls, row: BankAccountModel) -> BankAccountDetails:
        return cls(
            iban=mask_iban(row.iban),
            bic=row.bic,
            holder=row.holder,
            bank_name=row.bank_name,
            effective_at=row.effective_at,
        )


@strawberry.type(description="Where the allowance is paid (« Mes coordonnées bancaires »).")
class BankAccountInfo:
    current: BankAccountDetails | None = strawberry.field(
        description="The account payments go to now; null before the first one."
    )
    pending: BankAccountDetails | None = strawberry.field(
        description="A change waiting for its delay (it can be cancelled until then)."
    )


async def bank_account_info(info: Info, account_id: int) -> BankAccountInfo:
    """The current account and the waiting change, at the runtime clock's now."""
    session = info.context.read_session()
    now = info.context.runtime.clock.now()
    current = await effective_account(session, account_id, now)
    pending = await pending_change(session, account_id, now)
    return BankAccountInfo(
        current=BankAccountDetails.from_model(current) if current else None,
        pending=BankAccountDetails.from_model(pending) if pending else None,
    )
