"""Télécandidatures: ``applicationSubmit`` (candidats), ``applicationStatusChange``
(employers), ``applicationWithdraw`` (candidats). The types are ``schema.applications.types``'s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from models.applications import Application as ApplicationModel
from models.applications import ApplicationStatus
from models.identity import Account
from resolvers.applications import manage as applications
from schema.applications.types import Application, ApplicationStatusEnum
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.runner import run_mutation


@strawberry.input(description="An application to an offer.")
class ApplicationSubmitInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer's global ID.")
    dossier_id: strawberry.ID = strawberry.field(
        description="The dossier to apply from; it needs a phone number (PHONE_REQUIRED)."
    )
    cv_id: strawberry.ID = strawberry.field(description="A CV of that dossier (global ID).")
    message: str = strawberry.field(description="The message to the employer (5,000 max).")


@strawberry.input(description="The employer moves an application to its offer one step on.")
class ApplicationStatusChangeInput:
    id: strawberry.ID = strawberry.field(description="The application's global ID.")
    status: ApplicationStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="VIEWED after SENT, IN_PROGRESS after VIEWED, then ACCEPTED or REFUSED."
    )
    message: str | None = strawberry.field(
        default=None, description="A message to the candidat, kept in the history."
    )


@strawberry.input(description="The candidat withdraws an application not decided yet.")
class ApplicationWithdrawInput:
    id: strawberry.ID = strawberry.field(description="The application's global ID.")
    message: str | None = strawberry.field(
        default=None, description="A message to the employer, kept in the history."
    )


@strawberry.type(description="The result of an application mutation.")
class ApplicationPayload:
    application: Application | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


def _id(raw: strawberry.ID, type_name: str) -> int:
    return decode_global_id(str(raw), type_name) or 0


Change = Callable[[AsyncSession, Account], Awaitable[ApplicationModel]]


async def _write(info: Info, change: Change) -> ApplicationPayload:
    """Run one change in a write transaction, as the signed-in account."""
    return await run_mutation(
        info,
        ApplicationPayload,
        lambda session, viewer: change(session, viewer.account),
        lambda row: ApplicationPayload(application=Application.from_model(row), user_errors=[]),
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Apply online to a published offer with a CV and a message (candidats; "
        "once per offer). The offer's employer then sees the applicant's name and contact."
    )
    async def application_submit(
        self,
        info: Info,
        input: Annotated[
            ApplicationSubmitInput,
            strawberry.argument(
                description="The offer to apply to, with the dossier, an optional CV and a letter."
            ),
        ],
    ) -> ApplicationPayload:
        dossier, cv = _id(input.dossier_id, "Dossier"), _id(input.cv_id, "Cv")
        offer = _id(input.offer_id, "Offer")
        return await _write(
            info,
            lambda session, account: applications.submit_application(
                session, account, dossier, cv, offer, input.message
            ),
        )

    @strawberry.mutation(
        description="Move an application to one of the employer's offers one step on."
    )
    async def application_status_change(
        self,
        info: Info,
        input: Annotated[
            ApplicationStatusChangeInput,
            strawberry.argument(
                description="The application, the status the employer moves it to and an optional"
                " message."
            ),
        ],
    ) -> ApplicationPayload:
        target = ApplicationStatus(input.status)
        return await _write(
            info,
            lambda session, account: applications.change_status(
                session, account, _id(input.id, "Application"), target, input.message
            ),
        )

    @strawberry.mutation(description="Withdraw an application not decided yet (its candidat).")
    async def application_withdraw(
        self,
        info: Info,
        input: Annotated[
            ApplicationWithdrawInput,
            strawberry.argument(
                description="The candidat's application to withdraw, with an optional message."
            ),
        ],
    ) -> ApplicationPayload:
        return await _write(
            info,
            lambda session, account: applications.withdraw(
                session, account, _id(input.id, "Application"), input.message
            ),
        )
