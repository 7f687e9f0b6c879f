"""GraphQL types of letters: ``Letter`` and the ``viewer.letters`` connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.identity import AccountKind
from models.letters import Letter as LetterModel
from models.letters import LetterKind
from resolvers.core.paging import Window, count_rows, keyset_page
from resolvers.letters import reads
from schema.core.base import described_enum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection

LetterKindEnum = described_enum(
    LetterKind,
    "LetterKind",
    "The kind of a letter in « Mes courriers ».",
    {
        LetterKind.CONVOCATION: "Convocation: a summons to an appointment.",
        LetterKind.NOTIFICATION_DROITS: "Notification de droits: the notification of allowance "
        "rights.",
        LetterKind.AVIS_PAIEMENT: "Avis de paiement: a payment notice.",
        LetterKind.DEMANDE_PIECES: "Demande de pièces: a request for supporting documents.",
        LetterKind.CESSATION_INSCRIPTION: "Cessation d'inscription: notice that the registration "
        "ended.",
    },
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
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)

    @strawberry.field(description="How many of the candidat's letters are unread (all pages).")
    async def unread_count(self, info: Info) -> int:
        viewer = info.context.viewer
        if viewer is None or viewer.account.kind != AccountKind.CANDIDAT:
            return 0
        return await reads.unread_count(info.context.read_session(), viewer.account.id)


async def viewer_letters(
    info: Info, account_id: int, kind: str, asked: Window, unread_only: bool
) -> LetterConnection:
    """``viewer.letters``: the candidat's letters, newest first; empty for other accounts."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(
            LetterConnection, empty_page(), Letter.from_model, key=lambda r: r.id
        )
    session = info.context.read_session()
    stmt = reads.letters_select(account_id, unread_only)
    page = await keyset_page(session, stmt, LetterModel.id, True, asked)
    return paged_connection(
        LetterConnection,
        page,
        Letter.from_model,
        key=lambda r: r.id,
        count=lambda: count_rows(session, stmt),
    )
