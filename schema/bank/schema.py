"""Bank account: ``viewer.bankAccount`` (schema.viewer), its change and the cancellation."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.bank import BankAccount as BankAccountModel
from resolvers.bank.accounts import cancel_change, change_account
from resolvers.identity.sessions import Viewer as SignedIn
from schema.bank.types import BankAccountDetails, BankAccountInfo, bank_account_info
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_mutation, run_signed_in


@strawberry.input(description="A new account for the allowance; the password is asked again.")
class BankAccountChangeInput:
    iban: str = strawberry.field(description="IBAN (spaces allowed); checked with its checksum.")
    bic: str | None = strawberry.field(
        default=None, description="The bank's BIC; optional when the IBAN's bank is known."
    )
    holder: str = strawberry.field(description="The account holder's name.")
    current_password: str = strawberry.field(description="The account's password, again.")


@strawberry.type(description="The result of bankAccountChange.")
class BankAccountChangePayload:
    change: BankAccountDetails | None = strawberry.field(
        description="The new account and when it takes effect; null if refused."
    )
    bank_account: BankAccountInfo | None = strawberry.field(description="Current and pending.")
    user_errors: list[UserError] = strawberry.field(
        description="INVALID_IBAN, INVALID_BIC, BIC_MISMATCH, REQUIRED, WRONG_PASSWORD, "
        "THROTTLED… field by field."
    )


@strawberry.input(description="Cancel the change of bank account waiting for its delay.")
class BankAccountChangeCancelInput:
    note: str | None = strawberry.field(default=None, description="Unused; reserved.")


@strawberry.type(description="The result of bankAccountChangeCancel.")
class BankAccountChangeCancelPayload:
    bank_account: BankAccountInfo | None = strawberry.field(description="Current and pending.")
    user_errors: list[UserError] = strawberry.field(description="NOTHING_PENDING, if so.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Change the account the allowance is paid to. It needs the password; it "
        "takes effect after a delay (the first account at once), during which it can be "
        "cancelled; a notice mail and a dashboard event tell the candidat."
    )
    async def bank_account_change(
        self,
        info: Info,
        input: Annotated[
            BankAccountChangeInput,
            strawberry.argument(
                description="The new IBAN (and holder) the allowance is to be paid to."
            ),
        ],
    ) -> BankAccountChangePayload:
        ctx = info.context

        async def change(viewer: SignedIn) -> tuple[BankAccountModel, int]:
            row = await change_account(
                ctx,
                ctx.runtime,
                viewer.account,
                iban=input.iban,
                bic=input.bic,
                holder=input.holder,
                current_password=input.current_password,
            )
            return row, viewer.account.id

        async def done(made: tuple[BankAccountModel, int]) -> BankAccountChangePayload:
            return BankAccountChangePayload(
                change=BankAccountDetails.from_model(made[0]),
                bank_account=await bank_account_info(info, made[1]),
                user_errors=[],
            )

        return await run_signed_in(info, BankAccountChangePayload, change, done)

    @strawberry.mutation(description="Cancel the waiting change of bank account.")
    async def bank_account_change_cancel(
        self,
        info: Info,
        input: Annotated[
            BankAccountChangeCancelInput,
            strawberry.argument(description="The pending bank-account change to cancel."),
        ],
    ) -> BankAccountChangeCancelPayload:
        now = info.context.runtime.clock.now()

        async def done(row: BankAccountModel) -> BankAccountChangeCancelPayload:
            return BankAccountChangeCancelPayload(
                bank_account=await bank_account_info(info, row.account_id), user_errors=[]
            )

        return await run_mutation(
            info,
            BankAccountChangeCancelPayload,
            lambda session, viewer: cancel_change(
                session, info.context.runtime, viewer.account, now
            ),
            done,
        )
