"""GraphQL types of workshops (« Événements »): ``Workshop``, ``viewer.workshops``, and the
mutations to create one (advisers) and to register or unregister (candidats)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Annotated

import strawberry
from strawberry import relay

from models.agenda import Workshop as WorkshopModel
from resolvers.agenda import workshops
from schema.agenda.cursors import decode_agenda_cursor, encode_key
from schema.core.base import UserError, page_size
from schema.core.context import Info
from schema.core.ids import database_id, decode_global_id
from schema.core.runner import run_mutation


@strawberry.type(
    description="A workshop or job event of the agency, with places; candidats of the agency "
    "register to it, and it then appears in their agenda."
)
class Workshop(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="Its title.")
    description: str | None = strawberry.field(description="What it is about.")
    starts_at: datetime = strawberry.field(description="When it starts (UTC).")
    ends_at: datetime = strawberry.field(description="When it ends (UTC).")
    duration_minutes: int = strawberry.field(description="How long it lasts, in minutes.")
    address: str = strawberry.field(description="Where it takes place.")
    places: int = strawberry.field(description="How many places it has.")
    places_left: int = strawberry.field(description="How many are still free.")
    registered: bool = strawberry.field(description="True when the viewer is registered.")

    @classmethod
    def from_model(cls, row: WorkshopModel, registered: bool) -> Workshop:
        return cls(
            id=row.id,
            title=row.title,
            description=row.description,
            starts_at=row.starts_at,
            ends_at=row.starts_at + timedelta(minutes=row.duration_minutes),
            duration_minutes=row.duration_minutes,
            address=row.address,
            places=row.places,
            places_left=max(row.places - row.seats_taken, 0),
            registered=registered,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Workshop | None]:
        """The workshops of the viewer's agency; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        session = info.context.read_session()
        found = await workshops.workshops_by_ids(session, viewer.account, ids)
        mine = await workshops.registered_ids(session, viewer.account.id, list(found))
        return [cls.from_model(found[i], i in mine) if i in found else None for i in ids]


@strawberry.type(description="A page of upcoming workshops, earliest first.")
class WorkshopConnection(relay.Connection[Workshop]):
    pass


async def viewer_workshops(info: Info, first: int | None, after: str | None) -> WorkshopConnection:
    """``viewer.workshops``: the upcoming workshops of the viewer's agency."""
    viewer = info.context.viewer
    size = page_size(info, first)
    cursor = decode_agenda_cursor(after)
    rows: list[WorkshopModel] = []
    has_next = False
    mine: set[int] = set()
    if viewer is not None:
        session = info.context.read_session()
        found, has_next = await workshops.workshops_page(
            session,
            viewer.account,
            (cursor[0], cursor[2]) if cursor else None,
            size,
            info.context.runtime.clock.now(),
        )
        rows = list(found)
        mine = await workshops.registered_ids(session, viewer.account.id, [r.id for r in rows])
    edges = [
        relay.Edge(
            cursor=encode_key((r.starts_at, 1, r.id)), node=Workshop.from_model(r, r.id in mine)
        )
        for r in rows
    ]
    return WorkshopConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=cursor is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


@strawberry.input(description="A workshop or job event an adviser organises at the agency.")
class WorkshopCreateInput:
    title: str = strawberry.field(description="Its title, up to 200 characters.")
    starts_at: datetime = strawberry.field(description="When it starts (ISO 8601, offset).")
    duration_minutes: int = strawberry.field(description="15 minutes to 32 hours.")
    places: int = strawberry.field(description="1 to 500 places.")
    address: str | None = strawberry.field(
        default=None, description="Where (the agency's address when left out)."
    )
    description: str | None = strawberry.field(
        default=None, description="What it is about, up to 4,000 characters."
    )


@strawberry.input(description="One workshop, by its global ID.")
class WorkshopInput:
    id: strawberry.ID = strawberry.field(description="The workshop's global ID.")


@strawberry.type(description="The result of a workshop mutation.")
class WorkshopPayload:
    workshop: Workshop | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


def workshop_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Workshop") or 0


@strawberry.type
class Mutation:
    @strawberry.mutation(description="An adviser creates a workshop at their agency.")
    async def workshop_create(
        self,
        info: Info,
        input: Annotated[
            WorkshopCreateInput,
            strawberry.argument(
                description="The workshop (atelier) to publish in the adviser's agency."
            ),
        ],
    ) -> WorkshopPayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            WorkshopPayload,
            lambda session, viewer: workshops.create_workshop(
                session,
                runtime,
                viewer.account,
                title=input.title,
                description=input.description,
                starts_at=input.starts_at,
                duration_minutes=input.duration_minutes,
                address=input.address,
                places=input.places,
            ),
            lambda row: WorkshopPayload(workshop=Workshop.from_model(row, False), user_errors=[]),
        )

    @strawberry.mutation(
        description="A candidat of the agency takes a place (WORKSHOP_FULL when none is left)."
    )
    async def workshop_register(
        self,
        info: Info,
        input: Annotated[
            WorkshopInput,
            strawberry.argument(description="The workshop to register to."),
        ],
    ) -> WorkshopPayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            WorkshopPayload,
            lambda session, viewer: workshops.register(
                session, runtime, viewer.account, workshop_id(input.id)
            ),
            lambda row: WorkshopPayload(workshop=Workshop.from_model(row, True), user_errors=[]),
        )

    @strawberry.mutation(description="The candidat gives their place back, until it starts.")
    async def workshop_unregister(
        self,
        info: Info,
        input: Annotated[
            WorkshopInput,
            strawberry.argument(description="The workshop to unregister from."),
        ],
    ) -> WorkshopPayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            WorkshopPayload,
            lambda session, viewer: workshops.unregister(
                session, runtime, viewer.account, workshop_id(input.id)
            ),
            lambda row: WorkshopPayload(workshop=Workshop.from_model(row, False), user_errors=[]),
        )
