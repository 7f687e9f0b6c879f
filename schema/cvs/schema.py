"""GraphQL operations of the CVs domain: the candidat's CV mutations (with the PDF upload)
and the employers' ``cvSearch``. A dossier's CVs are ``Dossier.cvs``; any CV is
``node(id:)`` for those who may see it (``schema.cvs.types``).

The upload follows the GraphQL multipart request spec; ``espace.graphql_view`` accepts it
only with a ``GraphQL-Require-Preflight`` (or ``Apollo-Require-Preflight``) header, so that
a cross-site form cannot send one.
"""

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
from resolvers.core.paging import Window
from resolvers.cvs import files as cv_files
from resolvers.cvs import manage as cvs
from resolvers.cvs.manage import Audience
from resolvers.cvs.search import (
    CvCriteria,
    check_cv_criteria,
    count_cvs,
    require_employer,
    search_cvs,
)
from resolvers.identity.sessions import Viewer
from schema.core.base import (
    After,
    First,
    UserError,
    encode_cursor,
)
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.paging import TOTAL_COUNT, Before, Last, count_of, window
from schema.core.runner import refusable, run_mutation, run_signed_in
from schema.cvs.inputs import (
    CvCreateInput,
    CvDeleteInput,
    CvFileDeleteInput,
    CvFileUploadInput,
    CvPublishInput,
    CvSearchCriteria,
    CvUpdateInput,
)
from schema.cvs.types import Cv


@strawberry.type(description="The result of a CV mutation.")
class CvPayload:
    cv: Cv | None = strawberry.field(description="The CV, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of cvDelete.")
class CvDeletePayload:
    deleted_cv_id: relay.GlobalID | None = strawberry.field(
        description="The deleted CV's global ID, or null."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="One CV found by an employer.")
class CvSearchEdge(relay.Edge[Cv]):
    distance_km: float | None = strawberry.field(
        description="Distance from the commune searched around (null without one)."
    )


@strawberry.type(description="A page of published CVs, newest first.")
class CvSearchConnection(relay.Connection[Cv]):
    edges: list[CvSearchEdge] = strawberry.field(  # type: ignore[assignment]
        description="The CVs of this page."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why there are no results: WRONG_ACCOUNT_KIND (not an employer) or the "
        "criteria that do not hold (UNKNOWN_ROME_CODE, UNKNOWN_COMMUNE, …), all at once."
    )

    @strawberry.field(description=TOTAL_COUNT + " 0 when refused.")
    async def total_count(self) -> int:
        return await count_of(self)


def cv_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Cv") or 0


def _nothing_found(errors: list[UserError]) -> CvSearchConnection:
    """An empty result with the errors (not an employer, criteria that do not hold)."""
    return CvSearchConnection(
        edges=[],
        page_info=relay.PageInfo(
            has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None
        ),
        user_errors=errors,
    )


async def _search(info: Info, checked: CvCriteria, asked: Window) -> CvSearchConnection:
    """One page of the published CVs matching checked criteria."""
    ref = info.context.runtime.refdata
    session = info.context.read_session()
    hits, page = await search_cvs(session, ref, checked, asked)
    edges = [
        CvSearchEdge(
            cursor=encode_cursor(hit.cv.id),
            node=Cv.from_model(hit.cv, hit.dossier, _seen_as(hit.cv.visibility)),
            distance_km=hit.distance_km,
        )
        for hit in hits
    ]
    found = CvSearchConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        user_errors=[],
    )
    found.count_rows = lambda: count_cvs(session, ref, checked)  # type: ignore[attr-defined]
    return found


@strawberry.type
class Query:
    @strawberry.field(
        description="Employers only: the published CVs (named or anonymous) matching the "
        "criteria, newest first. Anonymous CVs show no name, contact details or file."
    )
    async def cv_search(
        self,
        info: Info,
        criteria: Annotated[
            CvSearchCriteria | None,
            strawberry.argument(description="What to search for; every published CV when omitted."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CvSearchConnection:
        asked = window(info, first, after, last, before)
        ref = info.context.runtime.refdata
        viewer = info.context.viewer

        async def check() -> CvCriteria:
            require_employer(viewer.account if viewer else None)
            return check_cv_criteria(ref, (criteria or CvSearchCriteria()).to_data())

        return await refusable(
            CvSearchConnection, check, lambda c: _search(info, c, asked), _nothing_found
        )


def _seen_as(visibility: str) -> Audience:
    if visibility == CvVisibility.PUBLISHED:
        return Audience.EMPLOYER
    return Audience.EMPLOYER_ANONYMOUS


def _cv(row: Any, dossier: Any) -> Cv:
    return Cv.from_model(row, dossier, Audience.OWNER)


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
