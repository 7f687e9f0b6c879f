"""``accountDelete``: the candidat asks for the erasure of their account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.erasure.request import Scheduled, request_deletion
from resolvers.identity.sessions import Viewer as SessionViewer
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.runner import run_signed_in


@strawberry.input(description="Delete the signed-in candidat's account, after a grace period.")
class AccountDeleteInput:
    current_password: str = strawberry.field(description="The password, asked again.")


@strawberry.type(
    description="The result of accountDelete: when the erasure will be made. Signing in "
    "before then cancels it."
)
class AccountDeletePayload:
    requested_at: datetime | None = strawberry.field(description="When it was asked (UTC).")
    due_at: datetime | None = strawberry.field(
        description="When the account and its data will be erased (UTC), unless the "
        "candidat signs in before."
    )
    user_errors: list[UserError] = strawberry.field(
        description="WRONG_PASSWORD, REQUIRED, THROTTLED, FORBIDDEN (not a candidat) or "
        "UNAUTHENTICATED."
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Ask for the erasure of the account and of its data. It is made at the "
        "end of a grace period (a mail says when, and another when it is done); signing in "
        "before then cancels it. Payments are kept by law in a minimal form, without name or "
        "contact details."
    )
    async def account_delete(
        self,
        info: Info,
        input: Annotated[
            AccountDeleteInput, strawberry.argument(description="The current password.")
        ],
    ) -> AccountDeletePayload:
        ctx = info.context

        async def delete(viewer: SessionViewer) -> Scheduled:
            return await request_deletion(ctx, ctx.runtime, viewer, input.current_password)

        return await run_signed_in(
            info,
            AccountDeletePayload,
            delete,
            lambda done: AccountDeletePayload(
                requested_at=done.requested_at, due_at=done.due_at, user_errors=[]
            ),
        )
