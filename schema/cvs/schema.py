"""GraphQL operations of the CVs domain: the candidat's CV mutations (with the PDF upload)
and the employers' ``cvSearch``. A dossier's CVs are ``Dossier.cvs``; any CV is
``node(id:)`` for those who may see it (``schema.cvs.types``).

The upload follows the GraphQL multipart request spec; ``espace.graphql_view`` accepts it
only with a ``GraphQL-Require-Preflight`` (or ``Apollo-Require-Preflight``) header, so that
a cross-site form cannot send one.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay

from models.cvs import CvVisibility
from models.privacy_log import AccessKind
from resolvers.core.paging import Window
from resolvers.cvs.manage import Audience
from resolvers.cvs.search import (
    CvCriteria,
    check_cv_criteria,
    count_cvs,
    require_employer,
    search_cvs,
)
from schema.access_log.note import saw
from schema.core.base import (
    After,
    First,
    UserError,
    encode_cursor,
)
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.paging import TOTAL_COUNT, Before, Last, count_of, window
from schema.core.runner import refusable
from schema.cvs.inputs import (
    CvSearchCriteria,
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
    for hit in hits:
        saw(info, hit.cv.account_id, AccessKind.CV_LISTED, hit.cv.id)
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
