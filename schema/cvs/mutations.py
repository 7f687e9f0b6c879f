"""The CV mutations: create, update, delete, publish, and the PDF file (upload, remove)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from models.base import utcnow
from models.cvs import CvVisibility
from models.identity import Account
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.cvs import files as cv_files
from resolvers.cvs import manage as cvs
from resolvers.identity.sessions import Viewer
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.runner import run_mutation, run_signed_in
from schema.cvs.inputs import (
    CvCreateInput,
    CvDeleteInput,
    CvFileDeleteInput,
    CvFileUploadInput,
    CvPublishInput,
    CvUpdateInput,
)
from schema.cvs.schema import CvDeletePayload, CvPayload, _cv, cv_id
from schema.cvs.types import Cv


async def _cv_payload(info: Info, done: tuple[Account, int]) -> CvPayload:
    """The changed CV, read back once its transaction has committed."""
    return CvPayload(cv=await _with_dossier(info, *done), user_errors=[])


async def _with_dossier(info: Info, account: Account, row_id: int) -> Cv:
    """The CV as its owner sees it, read again after the write."""
    found = await info.context.loaders.cv_by_id.load(row_id)
    if found is None or found[0].account_id != account.id:
        raise cvs.not_found()
    return _cv(*found)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a private CV in one of the candidat's dossiers.")
    async def cv_create(
        self,
        info: Info,
        input: Annotated[
            CvCreateInput,
            strawberry.argument(description="The dossier the CV belongs to and the CV's content."),
        ],
    ) -> CvPayload:
        refdata = info.context.runtime.refdata
        dossier = decode_global_id(str(input.dossier_id), "Dossier") or 0

        async def create(session: AsyncSession, viewer: Viewer) -> tuple[Account, int]:
            data = input.to_data()
            row = await cvs.create_cv(session, refdata, viewer.account, dossier, data, _today())
            return viewer.account, row.id

        return await run_mutation(info, CvPayload, create, lambda done: _cv_payload(info, done))

    @strawberry.mutation(description="Change a CV: omitted fields stay as they are.")
    async def cv_update(
        self,
        info: Info,
        input: Annotated[
            CvUpdateInput,
            strawberry.argument(
                description="The CV to change and its new content; omitted fields stay."
            ),
        ],
    ) -> CvPayload:
        refdata = info.context.runtime.refdata

        async def update(session: AsyncSession, viewer: Viewer) -> tuple[Account, int]:
            row = await cvs.update_cv(
                session, refdata, viewer.account, cv_id(input.id), input.to_data(), _today()
            )
            return viewer.account, row.id

        return await run_mutation(info, CvPayload, update, lambda done: _cv_payload(info, done))

    @strawberry.mutation(description="Delete a CV and its attached file.")
    async def cv_delete(
        self,
        info: Info,
        input: Annotated[
            CvDeleteInput,
            strawberry.argument(description="The CV to delete (its PDF file goes with it)."),
        ],
    ) -> CvDeletePayload:
        storage = info.context.runtime.storage

        async def deleted(result: tuple[int, str | None]) -> CvDeletePayload:
            cv, key = result
            await cv_files.forget_file(storage, key)  # once the deletion has committed
            return CvDeletePayload(deleted_cv_id=relay.GlobalID("Cv", str(cv)), user_errors=[])

        return await run_mutation(
            info,
            CvDeletePayload,
            lambda session, viewer: cvs.delete_cv(session, viewer.account, cv_id(input.id)),
            deleted,
        )

    @strawberry.mutation(
        description="Make a CV private, or let employers find it: PUBLISHED with the "
        "candidat's name and contact details, ANONYMOUS without them (nor the file)."
    )
    async def cv_publish(
        self,
        info: Info,
        input: Annotated[
            CvPublishInput,
            strawberry.argument(
                description="The CV and who may see it: PRIVATE, PUBLISHED or ANONYMOUS."
            ),
        ],
    ) -> CvPayload:
        visibility = CvVisibility(input.visibility)

        async def publish(session: AsyncSession, viewer: Viewer) -> tuple[Account, int]:
            row = await cvs.publish_cv(session, viewer.account, cv_id(input.id), visibility)
            return viewer.account, row.id

        return await run_mutation(info, CvPayload, publish, lambda done: _cv_payload(info, done))

    @strawberry.mutation(
        description="Attach a PDF to a CV (multipart request). Refused: NOT_PDF (checked by "
        "its content, not its name), FILE_TOO_LARGE, FILE_EMPTY."
    )
    async def cv_file_upload(
        self,
        info: Info,
        input: Annotated[
            CvFileUploadInput,
            strawberry.argument(
                description="The CV and its PDF file (a GraphQL multipart request)."
            ),
        ],
    ) -> CvPayload:
        ctx = info.context
        limit = ctx.settings.max_upload_bytes

        async def upload(viewer: Viewer) -> tuple[Account, int]:
            data, name = await _read_upload(input.file, limit)
            row = await cv_files.upload_cv_file(
                ctx, ctx.runtime.storage, viewer.account, cv_id(input.id), data, name, limit
            )
            return viewer.account, row.id

        return await run_signed_in(info, CvPayload, upload, lambda done: _cv_payload(info, done))

    @strawberry.mutation(description="Remove the PDF attached to a CV.")
    async def cv_file_delete(
        self,
        info: Info,
        input: Annotated[
            CvFileDeleteInput,
            strawberry.argument(description="The CV whose PDF file is removed."),
        ],
    ) -> CvPayload:
        ctx = info.context

        async def remove(viewer: Viewer) -> tuple[Account, int]:
            row = await cv_files.remove_cv_file(
                ctx, ctx.runtime.storage, viewer.account, cv_id(input.id)
            )
            return viewer.account, row.id

        return await run_signed_in(info, CvPayload, remove, lambda done: _cv_payload(info, done))


async def _read_upload(file: Any, limit: int) -> tuple[bytes, str | None]:
    """At most ``limit + 1`` bytes of the uploaded file (one more says it is too large)."""
    read = getattr(file, "read", None)
    if read is None:
        raise DomainError.single(
            "file", ErrorCode.REQUIRED, "Joignez un fichier PDF (requête multipart)."
        )
    data = await read(limit + 1)
    return bytes(data), getattr(file, "filename", None)


def _today() -> date:
    return utcnow().date()
