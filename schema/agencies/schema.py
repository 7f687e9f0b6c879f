"""Agencies ("mon pôle emploi"): the public list, and the advisers' mutations.

Merged into the dossiers domain's Query and Mutation (``schema.dossiers.schema``).
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.agencies import directory as agencies
from schema.core.base import (
    After,
    First,
    UserError,
)
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.paging import Before, Last, paged_connection, window
from schema.core.runner import run_mutation
from schema.dossiers.types import Agency, AgencyConnection


@strawberry.input(description="A new agency.")
class AgencyCreateInput:
    code: str | None = strawberry.field(
        default=None, description="Required. Unique code, 2 to 10 letters or digits."
    )
    name: str | None = strawberry.field(default=None, description="Required. Name.")
    address: str | None = strawberry.field(default=None, description="Street address.")
    postal_code: str | None = strawberry.field(
        default=None, description="Required. French postal code (5 digits)."
    )
    commune_insee: str | None = strawberry.field(
        default=None,
        description="INSEE code of one of the postal code's communes (filled in when only one).",
    )

    def to_data(self) -> agencies.AgencyInput:
        return agencies.AgencyInput(
            code=self.code,
            name=self.name,
            address=self.address,
            postal_code=self.postal_code,
            commune_insee=self.commune_insee,
        )


@strawberry.input(description="Changes to an agency; omitted fields stay as they are.")
class AgencyUpdateInput:
    id: strawberry.ID = strawberry.field(description="The agency's global ID.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description="Unique code.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Name.")
    address: str | None = strawberry.field(default=strawberry.UNSET, description="Address.")
    postal_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="French postal code (its commune is chosen again)."
    )
    commune_insee: str | None = strawberry.field(
        default=strawberry.UNSET, description="INSEE code of one of the postal code's communes."
    )

    def changes(self) -> dict[str, Any]:
        names = ("code", "name", "address", "postal_code", "commune_insee")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not strawberry.UNSET}


@strawberry.type(description="The result of an agency mutation.")
class AgencyPayload:
    agency: Agency | None = strawberry.field(description="The agency, null when refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.type
class AgencyQuery:
    @strawberry.field(
        description=(
            "Agencies (mon pôle emploi), oldest first; with postalCode, only that postal "
            "code's agencies. Public."
        )
    )
    async def agencies(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        postal_code: Annotated[
            str | None,
            strawberry.argument(
                description="Only the agencies of this postal code (5 digits); all of them when "
                "omitted."
            ),
        ] = None,
        last: Last = None,
        before: Before = None,
    ) -> AgencyConnection:
        asked = window(info, first, after, last, before)
        session = info.context.read_session()
        page = await agencies.list_agencies(session, postal_code, asked)
        return paged_connection(
            AgencyConnection,
            page,
            Agency.from_model,
            key=lambda r: r.id,
            count=lambda: agencies.count_agencies(session, postal_code),
        )


@strawberry.type
class AgencyMutation:
    @strawberry.mutation(description="Create an agency (advisers only; others get FORBIDDEN).")
    async def agency_create(
        self,
        info: Info,
        input: Annotated[
            AgencyCreateInput,
            strawberry.argument(description="The new agency: its code, name, address and commune."),
        ],
    ) -> AgencyPayload:
        ctx = info.context
        return await run_mutation(
            info,
            AgencyPayload,
            lambda session, viewer: agencies.create_agency(
                session, ctx.runtime, viewer.account, input.to_data()
            ),
            lambda row: AgencyPayload(agency=Agency.from_model(row), user_errors=[]),
        )

    @strawberry.mutation(description="Change an agency (advisers only; others get FORBIDDEN).")
    async def agency_update(
        self,
        info: Info,
        input: Annotated[
            AgencyUpdateInput,
            strawberry.argument(
                description="The agency to change and its new values; omitted fields stay."
            ),
        ],
    ) -> AgencyPayload:
        ctx = info.context
        agency_id = decode_global_id(str(input.id), "Agency") or 0
        return await run_mutation(
            info,
            AgencyPayload,
            lambda session, viewer: agencies.update_agency(
                session, ctx.runtime, viewer.account, agency_id, input.changes()
            ),
            lambda row: AgencyPayload(agency=Agency.from_model(row), user_errors=[]),
        )
