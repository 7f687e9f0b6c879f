"""The classeur's mutations: keep and take out offers, save, change and delete searches."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.classeur import saved_offers as classeur
from resolvers.classeur import saved_searches
from schema.classeur.schema import (
    UNSET,
    ClasseurEntry,
    ClasseurPayload,
    ClasseurRemoveInput,
    ClasseurRemovePayload,
    ClasseurSaveInput,
    SavedSearch,
    SavedSearchCreateInput,
    SavedSearchDeleteInput,
    SavedSearchDeletePayload,
    SavedSearchPayload,
    SavedSearchUpdateInput,
)
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.runner import run_mutation


def offer_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Offer") or 0


def search_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "SavedSearch") or 0


@strawberry.type
class ClasseurMutation:
    @strawberry.mutation(description="Keep a published offer in the classeur (candidats).")
    async def classeur_save(
        self,
        info: Info,
        input: Annotated[
            ClasseurSaveInput,
            strawberry.argument(description="The offer to save in the classeur."),
        ],
    ) -> ClasseurPayload:
        return await run_mutation(
            info,
            ClasseurPayload,
            lambda session, viewer: classeur.save_offer(
                session, viewer.account, offer_id(input.offer_id)
            ),
            lambda row: ClasseurPayload(entry=ClasseurEntry.from_model(row), user_errors=[]),
        )

    @strawberry.mutation(description="Take an offer out of the classeur.")
    async def classeur_remove(
        self,
        info: Info,
        input: Annotated[
            ClasseurRemoveInput,
            strawberry.argument(description="The offer to take out of the classeur."),
        ],
    ) -> ClasseurRemovePayload:
        removed = offer_id(input.offer_id)
        return await run_mutation(
            info,
            ClasseurRemovePayload,
            lambda session, viewer: classeur.remove_offer(session, viewer.account, removed),
            lambda _: ClasseurRemovePayload(
                removed_offer_id=relay.GlobalID("Offer", str(removed)), user_errors=[]
            ),
        )

    @strawberry.mutation(description="Save search criteria in a dossier (20 per dossier).")
    async def saved_search_create(
        self,
        info: Info,
        input: Annotated[
            SavedSearchCreateInput,
            strawberry.argument(description="The dossier, a name and the search criteria to save."),
        ],
    ) -> SavedSearchPayload:
        ctx = info.context
        dossier = decode_global_id(str(input.dossier_id), "Dossier") or 0
        return await run_mutation(
            info,
            SavedSearchPayload,
            lambda session, viewer: saved_searches.create_saved_search(
                session,
                ctx.runtime.refdata,
                viewer.account,
                dossier,
                input.name,
                input.criteria.to_data(),
            ),
            lambda row: SavedSearchPayload(
                saved_search=SavedSearch.from_model(row), user_errors=[]
            ),
        )

    @strawberry.mutation(description="Rename a saved search or replace its criteria.")
    async def saved_search_update(
        self,
        info: Info,
        input: Annotated[
            SavedSearchUpdateInput,
            strawberry.argument(
                description="The saved search to change and its new values; omitted fields stay."
            ),
        ],
    ) -> SavedSearchPayload:
        ctx = info.context
        changes: dict[str, object] = {}
        if input.name is not UNSET:
            changes["name"] = input.name
        if input.criteria is not UNSET and input.criteria is not None:
            changes["criteria"] = input.criteria.to_data()
        return await run_mutation(
            info,
            SavedSearchPayload,
            lambda session, viewer: saved_searches.update_saved_search(
                session, ctx.runtime.refdata, viewer.account, search_id(input.id), changes
            ),
            lambda row: SavedSearchPayload(
                saved_search=SavedSearch.from_model(row), user_errors=[]
            ),
        )

    @strawberry.mutation(description="Delete a saved search.")
    async def saved_search_delete(
        self,
        info: Info,
        input: Annotated[
            SavedSearchDeleteInput,
            strawberry.argument(description="The saved search to delete."),
        ],
    ) -> SavedSearchDeletePayload:
        return await run_mutation(
            info,
            SavedSearchDeletePayload,
            lambda session, viewer: saved_searches.delete_saved_search(
                session, viewer.account, search_id(input.id)
            ),
            lambda deleted: SavedSearchDeletePayload(
                deleted_saved_search_id=relay.GlobalID("SavedSearch", str(deleted)), user_errors=[]
            ),
        )
