"""The dossier mutations: create, update, delete, resend the e-mail confirmation."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from resolvers.cvs import files as cv_files
from resolvers.dossiers import manage as dossiers
from resolvers.identity.sessions import Viewer
from schema.agencies.schema import AgencyMutation
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.dossiers.schema import (
    DossierCreateInput,
    DossierDeleteInput,
    DossierDeletePayload,
    DossierPayload,
    DossierUpdateInput,
    EmailConfirmationResendInput,
    _dossier_id,
)
from schema.dossiers.types import Dossier


@strawberry.type
class Mutation(AgencyMutation):
    @strawberry.mutation(
        description="Create a dossier. Candidats only (others: WRONG_ACCOUNT_KIND)."
    )
    async def dossier_create(
        self,
        info: Info,
        input: Annotated[
            DossierCreateInput,
            strawberry.argument(
                description="Every field of the new dossier; all errors come back at once."
            ),
        ],
    ) -> DossierPayload:
        ctx = info.context
        return await run_mutation(
            info,
            DossierPayload,
            lambda session, viewer: dossiers.create_dossier(
                session, ctx.runtime, viewer.account, input.to_data()
            ),
            lambda row: DossierPayload(dossier=Dossier.from_model(row), user_errors=[]),
        )

    @strawberry.mutation(
        description=(
            "Change a dossier; the whole dossier is checked again. A new or removed e-mail "
            "address is unconfirmed (a new address gets a confirmation mail)."
        )
    )
    async def dossier_update(
        self,
        info: Info,
        input: Annotated[
            DossierUpdateInput,
            strawberry.argument(
                description="The dossier to change and its new values; omitted fields stay."
            ),
        ],
    ) -> DossierPayload:
        ctx = info.context
        return await run_mutation(
            info,
            DossierPayload,
            lambda session, viewer: dossiers.update_dossier(
                session, ctx.runtime, viewer.account, _dossier_id(input.id), input.values()
            ),
            lambda row: DossierPayload(dossier=Dossier.from_model(row), user_errors=[]),
        )

    @strawberry.mutation(description="Delete a dossier.")
    async def dossier_delete(
        self,
        info: Info,
        input: Annotated[
            DossierDeleteInput,
            strawberry.argument(description="The dossier to delete."),
        ],
    ) -> DossierDeletePayload:
        storage = info.context.runtime.storage
        dossier = _dossier_id(input.id)

        async def delete(session: AsyncSession, viewer: Viewer) -> tuple[list[str], int]:
            files = await cv_files.dossier_file_keys(session, viewer.account.id, dossier)
            return files, await dossiers.delete_dossier(session, viewer.account, dossier)

        async def deleted(done: tuple[list[str], int]) -> DossierDeletePayload:
            files, gone = done
            for key in files:  # the CVs' files go once the deletion has committed
                await cv_files.forget_file(storage, key)
            gid = relay.GlobalID("Dossier", str(gone))
            return DossierDeletePayload(deleted_dossier_id=gid, user_errors=[])

        return await run_mutation(info, DossierDeletePayload, delete, deleted)

    @strawberry.mutation(
        description=(
            "Send the confirmation mail of the dossier's e-mail address again: up to 3 more "
            "times in an hour after the first mail (by default), then THROTTLED until the "
            "hour has passed."
        )
    )
    async def email_confirmation_resend(
        self,
        info: Info,
        input: Annotated[
            EmailConfirmationResendInput,
            strawberry.argument(description="The dossier whose confirmation mail is sent again."),
        ],
    ) -> DossierPayload:
        ctx = info.context
        return await run_mutation(
            info,
            DossierPayload,
            lambda session, viewer: dossiers.resend_email_confirmation(
                session, ctx.runtime, viewer.account, _dossier_id(input.dossier_id)
            ),
            lambda row: DossierPayload(dossier=Dossier.from_model(row), user_errors=[]),
        )
