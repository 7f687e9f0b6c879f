"""GraphQL types of letters: ``Letter`` and the ``viewer.letters`` connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.identity import AccountKind
from models.letters import Letter as LetterModel
from models.letters import LetterKind
from resolvers.letters import reads
from schema.core.base import build_connection, decode_cursor, page_size
from schema.core.context import Info
from schema.core.ids import database_id

LetterKindEnum = strawberry.enum(
    LetterKind,
    name="LetterKind",
    description="CONVOCATION, NOTIFICATION_DROITS (notification of rights), AVIS_PAIEMENT "
    "(payment notice), DEMANDE_PIECES (request for documents), CESSATION_INSCRIPTION.",
)

DOWNLOAD_PATH = "/courriers/{id}"


@strawberry.type(
    description="A letter from the agency or the service (« Mes courriers »): the candidat's "
    "alone. Its PDF downloads from `downloadUrl` with the same bearer token as the API; the "
    "first download marks it read."
)
class Letter(relay.Node):
    id: relay.NodeID[int]
    kind: LetterKindEnum = strawberry.field(description="What kind of letter it is.")  # type: ignore[valid-type]
    title: str = strawberry.field(description="Its subject, in French.")
    issued_at: datetime = strawberry.field(description="When it was issued (UTC).")
    read_at: datetime | None = strawberry.field(
        description="When it was first downloaded; null while unread."
    )
    gid: strawberry.Private[str]

    @strawberry.field(description="True once the candidat has downloaded it.")
    def read(self) -> bool:
        return self.read_at is not None

    @strawberry.field(description="Where its PDF downloads (GET with `Authorization: Bearer`).")
    def download_url(self, info: Info) -> str:
        return str(info.context.settings.link(DOWNLOAD_PATH.format(id=self.gid)))

    @classmethod
    def from_model(cls, row: LetterModel) -> Letter:
        return cls(
            id=row.id,
            kind=LetterKind(row.kind),
            title=row.title,
            issued_at=row.created_at,
            read_at=row.read_at,
            gid=str(relay.to_base64("Letter", row.id)),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Letter | None]:
        """The viewer's own letters; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await reads.letters_by_ids(info.context.read_session(), viewer.account.id, ids)
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of letters, newest first.")
class LetterConnection(relay.Connection[Letter]):
    @strawberry.field(description="How many of the candidat's letters are unread (all pages).")
    async def unread_count(self, info: Info) -> int:
        viewer = info.context.viewer
        if viewer is None or viewer.account.kind != AccountKind.CANDIDAT:
            return 0
        return await reads.unread_count(info.context.read_session(), viewer.account.id)


async def viewer_letters(
    info: Info, account_id: int, kind: str, first: int | None, after: str | None, unread_only: bool
) -> LetterConnection:
    """``viewer.letters``: the candidat's letters; empty for other accounts."""
    size = page_size(info, first)
    before = decode_cursor(after)
    rows: list[LetterModel] = []
    has_next = False
    if kind == AccountKind.CANDIDAT:
        found, has_next = await reads.letters_page(
            info.context.read_session(), account_id, before, size, unread_only
        )
        rows = list(found)
    return build_connection(
        LetterConnection,
        rows,
        has_next,
        Letter.from_model,
        key=lambda r: r.id,
        has_previous=before is not None,
    )
