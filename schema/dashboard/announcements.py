"""The tableau de bord's announcements: news and events published by advisers."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import relay

from models.dashboard import Announcement as AnnouncementModel
from models.dashboard import AnnouncementKind
from schema.core.base import UserError, described_enum
from schema.core.context import Info
from schema.core.paging import TOTAL_COUNT, count_of

AnnouncementKindEnum = described_enum(
    AnnouncementKind,
    "AnnouncementKind",
    "ACTUALITE (news) or EVENEMENT (a dated event), as on the seed's dashboard.",
    {
        AnnouncementKind.ACTUALITE: "Actualité: a piece of news.",
        AnnouncementKind.EVENEMENT: "Événement: an event on a given date (job fair, workshop…).",
    },
)


@strawberry.type(description="News or an event published by advisers.")
class Announcement(relay.Node):
    id: relay.NodeID[int]
    kind: AnnouncementKindEnum = strawberry.field(description="News or event.")  # type: ignore[valid-type]
    title: str = strawberry.field(description="Title.")
    body: str = strawberry.field(description="Text (plain text; escape it when rendering).")
    region_code: str | None = strawberry.field(description="INSEE région code; null = national.")
    event_date: date | None = strawberry.field(description="Date of an event.")
    published_at: datetime = strawberry.field(description="When it was published.")

    @classmethod
    def from_model(cls, a: AnnouncementModel) -> Announcement:
        return cls(
            id=a.id,
            kind=AnnouncementKind(a.kind),
            title=a.title,
            body=a.body,
            region_code=a.region_code,
            event_date=a.event_date,
            published_at=a.published_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Announcement | None]:
        ids = [int(i) if i.isdigit() else 0 for i in node_ids]
        rows = await info.context.loaders.announcement_by_id.load_many(ids)
        return [cls.from_model(r) if r is not None else None for r in rows]


@strawberry.type(description="A page of announcements, newest first.")
class AnnouncementConnection(relay.Connection[Announcement]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


@strawberry.input(description="News or an event to publish.")
class AnnouncementPublishInput:
    kind: AnnouncementKindEnum = strawberry.field(description="News or event.")  # type: ignore[valid-type]
    title: str = strawberry.field(description="Title, up to 200 characters.")
    body: str = strawberry.field(description="Text, up to 5,000 characters.")
    region_code: str | None = strawberry.field(
        default=None, description="Restrict to one région (INSEE code); null for everyone."
    )
    event_date: date | None = strawberry.field(default=None, description="Date of an event.")


@strawberry.type(description="Result of `announcementPublish`.")
class AnnouncementPublishPayload:
    announcement: Announcement | None = strawberry.field(description="The published item.")
    user_errors: list[UserError] = strawberry.field(description="Problems, if any.")
