"""GraphQL operations of the offers domain: the employer's company and offers, lookup by
number, and the search (``schema.offers.search``); the classeur and saved searches
(``schema.classeur.schema``) are merged in.

Types live in ``schema.offers.types``; an employer's offers are ``viewer { company { offers } }``.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.offers import Offer as OfferModel
from resolvers.alerts import matching as alerts_matching
from resolvers.classeur.saved_searches import saved_searches_by_ids
from resolvers.core.errors import ErrorCode, FieldError
from resolvers.identity.sessions import Viewer as SessionViewer
from resolvers.offers import companies
from resolvers.offers import manage as offers
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.fields import (
    CompanySize,
)
from resolvers.offers.results import OfferSort
from schema.classeur.mutations import ClasseurMutation, search_id
from schema.core.base import After, First, UserError
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.paging import Before, Last, window
from schema.core.runner import run_mutation
from schema.offers.inputs import (
    CompanyUpdateInput,
    OfferCreateInput,
    OfferStatusInput,
    OfferUpdateInput,
)
from schema.offers.search import (
    OfferSearchConnection,
    OfferSearchCriteria,
    OfferSortEnum,
    refused,
    run_search,
)
from schema.offers.types import Company, Offer


@strawberry.type(description="The result of companyUpdate.")
class CompanyPayload:
    company: Company | None = strawberry.field(description="The company, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of an offer mutation.")
class OfferPayload:
    offer: Offer | None = strawberry.field(description="The offer, or null if refused.")
    user_errors: list[UserError] = strawberry.field(
        description="What was wrong (INVALID_TRANSITION for a move the status does not allow)."
    )


def _offer_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Offer") or 0


@strawberry.type
class Query:
    @strawberry.field(
        description="An offer by its public number (e.g. 048KLTP); null when unknown or not "
        "published (an employer also finds its own drafts)."
    )
    async def offer(
        self,
        info: Info,
        number: Annotated[str, strawberry.argument(description="The offer's public number.")],
    ) -> Offer | None:
        row = await offers.offer_by_number(info.context.read_session(), number)
        viewer = info.context.viewer
        account_id = viewer.account.id if viewer else None
        if row is None or not offers.visible_to(row, account_id, utcnow()):
            return None
        return Offer.from_model(row)

    @strawberry.field(
        description="Search published offers (no criteria: France entière, every contract). "
        "savedSearchId re-runs one of the viewer's saved searches instead of criteria. "
        "Criteria that do not hold (UNKNOWN_ROME_CODE, UNKNOWN_COMMUNE, "
        "DISTANCE_WITHOUT_COMMUNE, OUT_OF_RANGE, …) come back all at once in userErrors, with "
        "no results; a page size over the limit (BAD_PAGE_SIZE), a bad cursor (BAD_CURSOR) or a "
        "contract code outside TypeContrat are GraphQL errors with extensions.code. Offset "
        "cursors: the first 3,000 results can be paged through."
    )
    async def offer_search(
        self,
        info: Info,
        criteria: Annotated[
            OfferSearchCriteria | None,
            strawberry.argument(
                description="What to search for; every published offer when omitted."
            ),
        ] = None,
        saved_search_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Run this saved search of the viewer's (its global ID) instead of "
                "`criteria`."
            ),
        ] = None,
        first: First = None,
        after: After = None,
        sort: Annotated[
            OfferSortEnum,  # type: ignore[valid-type]
            strawberry.argument(description="The order of the results; relevance by default."),
        ] = OfferSort.RELEVANCE,
        last: Last = None,
        before: Before = None,
    ) -> OfferSearchConnection:
        asked = window(info, first, after, last, before)
        if saved_search_id is None:
            data = criteria.to_data() if criteria is not None else OfferCriteria()
            return await run_search(info, data, asked, OfferSort(sort))
        viewer = info.context.viewer
        wanted = search_id(saved_search_id)
        found: dict[int, Any] = {}
        if viewer is not None:
            found = await saved_searches_by_ids(
                info.context.read_session(), viewer.account.id, [wanted]
            )
        if wanted not in found or criteria is not None:
            code, message = (
                (ErrorCode.NOT_FOUND, "Cette recherche est introuvable.")
                if wanted not in found
                else (ErrorCode.CONFLICTING_CRITERIA, "Donnez des critères ou une recherche.")
            )
            return refused([FieldError("savedSearchId", code, message)])
        stored = OfferCriteria.from_json(found[wanted].criteria)
        return await run_search(info, stored, asked, OfferSort(sort))


@strawberry.type
class Mutation(ClasseurMutation):
    @strawberry.mutation(description="Change the employer's company (created on first use).")
    async def company_update(
        self,
        info: Info,
        input: Annotated[
            CompanyUpdateInput,
            strawberry.argument(
                description="The employer's company's new values; omitted fields stay."
            ),
        ],
    ) -> CompanyPayload:
        changes = input.values()
        if changes.get("size_band") is not None:
            changes["size_band"] = CompanySize(changes["size_band"])
        return await run_mutation(
            info,
            CompanyPayload,
            lambda session, viewer: companies.update_company(session, viewer.account, changes),
            lambda row: CompanyPayload(company=Company.from_model(row), user_errors=[]),
        )

    @strawberry.mutation(description="Create an offer as a draft. Employers only.")
    async def offer_create(
        self,
        info: Info,
        input: Annotated[
            OfferCreateInput,
            strawberry.argument(description="Every field of the new offer (saved as a draft)."),
        ],
    ) -> OfferPayload:
        ctx = info.context
        return await run_mutation(
            info,
            OfferPayload,
            lambda session, viewer: offers.create_offer(
                session, ctx.runtime.refdata, viewer.account, input.to_data()
            ),
            lambda row: OfferPayload(offer=Offer.from_model(row), user_errors=[]),
        )

    @strawberry.mutation(
        description="Change an offer; the whole offer is checked again. Candidats who saved "
        "a published offer are told (SAVED_OFFER_CHANGED)."
    )
    async def offer_update(
        self,
        info: Info,
        input: Annotated[
            OfferUpdateInput,
            strawberry.argument(
                description="The offer to change and its new values; omitted fields stay."
            ),
        ],
    ) -> OfferPayload:
        runtime = info.context.runtime

        async def update(session: AsyncSession, viewer: SessionViewer) -> OfferModel:
            row = await offers.update_offer(
                session, runtime.refdata, viewer.account, _offer_id(input.id), input.values()
            )
            await alerts_matching.match_offer(session, runtime, row)
            return row

        return await run_mutation(info, OfferPayload, update, _offer_payload)

    @strawberry.mutation(
        description="Publish a draft, or publish a paused offer again; it is matched against "
        "every alert at once (abonnements: events, instant mails)."
    )
    async def offer_publish(
        self,
        info: Info,
        input: Annotated[
            OfferStatusInput,
            strawberry.argument(description="The offer to publish."),
        ],
    ) -> OfferPayload:
        return await _transition(info, input, "publish")

    @strawberry.mutation(description="Pause a published offer (hidden until published again).")
    async def offer_pause(
        self,
        info: Info,
        input: Annotated[
            OfferStatusInput,
            strawberry.argument(description="The published offer to suspend."),
        ],
    ) -> OfferPayload:
        return await _transition(info, input, "pause")

    @strawberry.mutation(
        description="Close a published or paused offer for good; candidats who saved it are "
        "told (SAVED_OFFER_CLOSED)."
    )
    async def offer_close(
        self,
        info: Info,
        input: Annotated[
            OfferStatusInput,
            strawberry.argument(description="The offer to close for good."),
        ],
    ) -> OfferPayload:
        return await _transition(info, input, "close")


def _offer_payload(row: OfferModel) -> OfferPayload:
    return OfferPayload(offer=Offer.from_model(row), user_errors=[])


async def _transition(info: Info, input: OfferStatusInput, action: str) -> OfferPayload:
    runtime = info.context.runtime

    async def transition(session: AsyncSession, viewer: SessionViewer) -> OfferModel:
        row = await offers.change_status(session, viewer.account, _offer_id(input.id), action)
        await alerts_matching.match_offer(session, runtime, row)
        return row

    return await run_mutation(info, OfferPayload, transition, _offer_payload)
