"""The classeur (saved offers) and saved search criteria.

``viewer { classeur }`` lists saved offers; ``Dossier.savedSearches`` lists saved searches,
which re-run with ``savedSearch.run`` or ``offerSearch(savedSearchId:)``. The operations
are merged into ``schema.offers.schema``' Query and Mutation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from models.classeur import SavedOffer as SavedOfferModel
from models.classeur import SavedSearch as SavedSearchModel
from models.identity import AccountKind
from resolvers.classeur import saved_offers as classeur
from resolvers.classeur import saved_searches
from resolvers.core.paging import Window
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.results import OfferSort
from schema.core.base import (
    After,
    First,
    UserError,
)
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import (
    TOTAL_COUNT,
    Before,
    Last,
    count_of,
    empty_page,
    paged_connection,
    window,
)
from schema.offers.search import (
    OfferCriteriaView,
    OfferSearchConnection,
    OfferSearchCriteria,
    OfferSortEnum,
    run_search,
)
from schema.offers.types import Offer

UNSET = strawberry.UNSET


@strawberry.type(description="An offer kept in the classeur.")
class ClasseurEntry:
    saved_at: datetime = strawberry.field(description="When it was saved.")
    offer_id: strawberry.Private[int]

    @strawberry.field(
        description="The offer, as it is now (also when paused or closed since it was saved)."
    )
    async def offer(self, info: Info) -> Offer | None:
        row = await info.context.loaders.offer_by_id.load(self.offer_id)
        return Offer.from_model(row) if row is not None else None

    @classmethod
    def from_model(cls, row: SavedOfferModel) -> ClasseurEntry:
        return cls(saved_at=row.created_at, offer_id=row.offer_id)


@strawberry.type(description="A page of the classeur, newest first.")
class ClasseurConnection(relay.Connection[ClasseurEntry]):  # type: ignore[type-var]
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


@strawberry.type(description="Named search criteria of a dossier.")
class SavedSearch(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name, unique in the dossier.")
    created_at: datetime = strawberry.field(description="When it was saved.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    dossier_id: strawberry.Private[int]
    stored: strawberry.Private[OfferCriteria]

    @strawberry.field(description="The criteria.")
    def criteria(self) -> OfferCriteriaView:
        return OfferCriteriaView.from_data(self.stored)

    @strawberry.field(name="dossierId", description="The dossier it belongs to (global ID).")
    def dossier_global_id(self) -> relay.GlobalID:
        return relay.GlobalID("Dossier", str(self.dossier_id))

    @strawberry.field(description="Run the search again, without retyping it.")
    async def run(
        self,
        info: Info,
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
        return await run_search(info, self.stored, asked, OfferSort(sort), "criteria.")

    @classmethod
    def from_model(cls, row: SavedSearchModel) -> SavedSearch:
        return cls(
            id=row.id,
            name=row.name,
            created_at=row.created_at,
            updated_at=row.updated_at,
            dossier_id=row.dossier_id,
            stored=OfferCriteria.from_json(row.criteria),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SavedSearch | None]:
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await saved_searches.saved_searches_by_ids(
            info.context.read_session(), viewer.account.id, ids
        )
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of saved searches, oldest first.")
class SavedSearchConnection(relay.Connection[SavedSearch]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_classeur(
    info: Info, account_id: int, kind: str, asked: Window
) -> ClasseurConnection:
    """``viewer.classeur``: a candidat's saved offers, newest first; empty for others."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(ClasseurConnection, empty_page(), ClasseurEntry.from_model, _id)
    session = info.context.read_session()
    page = await classeur.classeur_page(session, account_id, asked)
    count = lambda: classeur.classeur_count(session, account_id)  # noqa: E731
    return paged_connection(ClasseurConnection, page, ClasseurEntry.from_model, _id, count)


def _id(row: SavedOfferModel | SavedSearchModel) -> int:
    return row.id


async def dossier_saved_searches(
    info: Info, account_id: int, dossier_id: int, asked: Window
) -> SavedSearchConnection:
    """``Dossier.savedSearches``: one statement for every dossier of the request."""
    loaders = info.context.loaders
    owner = (account_id, dossier_id)
    page = await loaders.saved_search_window_by_dossier.load((*owner, asked))
    count = lambda: loaders.saved_search_count_by_dossier.load(owner)  # noqa: E731
    return paged_connection(SavedSearchConnection, page, SavedSearch.from_model, _id, count)


@strawberry.input(description="The offer to keep in the classeur.")
class ClasseurSaveInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer's global ID.")


@strawberry.input(description="The offer to take out of the classeur.")
class ClasseurRemoveInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer's global ID.")


@strawberry.type(description="The result of classeurSave.")
class ClasseurPayload:
    entry: ClasseurEntry | None = strawberry.field(description="The saved offer, or null.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of classeurRemove.")
class ClasseurRemovePayload:
    removed_offer_id: relay.GlobalID | None = strawberry.field(
        description="The offer taken out, or null."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.input(description="New saved search criteria for a dossier.")
class SavedSearchCreateInput:
    dossier_id: strawberry.ID = strawberry.field(description="The dossier's global ID.")
    name: str = strawberry.field(description="A name, unique in the dossier (60 max).")
    criteria: OfferSearchCriteria = strawberry.field(description="The criteria.")


@strawberry.input(description="Changes to a saved search: omitted fields stay.")
class SavedSearchUpdateInput:
    id: strawberry.ID = strawberry.field(description="The saved search's global ID.")
    name: str | None = strawberry.field(default=UNSET, description="A new name.")
    criteria: OfferSearchCriteria | None = strawberry.field(
        default=UNSET, description="New criteria (replace the old ones)."
    )


@strawberry.input(description="The saved search to delete.")
class SavedSearchDeleteInput:
    id: strawberry.ID = strawberry.field(description="The saved search's global ID.")


@strawberry.type(description="The result of a saved search mutation.")
class SavedSearchPayload:
    saved_search: SavedSearch | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of savedSearchDelete.")
class SavedSearchDeletePayload:
    deleted_saved_search_id: relay.GlobalID | None = strawberry.field(
        description="The deleted search's global ID, or null."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")
