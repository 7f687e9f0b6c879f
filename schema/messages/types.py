"""GraphQL types of the messages domain: conversations, messages, attachments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay

from models.identity import AccountKind
from models.messages import Conversation as ConversationModel
from models.messages import ConversationKind, SubjectType, Topic
from models.messages import Message as MessageModel
from models.messages import MessageAttachment as AttachmentModel
from resolvers.core.paging import KeysetPage
from resolvers.messages.conversations import Reader, can_see
from schema.core.base import (
    After,
    First,
    described_enum,
    encode_cursor,
)
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import (
    TOTAL_COUNT,
    Before,
    Last,
    count_of,
    paged_connection,
    window,
)
from schema.dossiers.types import Agency

ConversationKindEnum = described_enum(
    ConversationKind,
    "ConversationKind",
    "Who the candidat talks with.",
    {
        ConversationKind.ADVISER: "With the advisers of the candidat's agency.",
        ConversationKind.EMPLOYER: "With an employer, about an application or a proposal.",
        ConversationKind.SYSTEM: "From the site itself; it cannot be answered.",
    },
)
TopicEnum = described_enum(
    Topic,
    "ConversationTopic",
    "What a question to the adviser is about.",
    {
        Topic.INDEMNISATION: "Indemnisation: the allowance and its payments.",
        Topic.ACTUALISATION: "Actualisation: the monthly declaration.",
        Topic.DOCUMENTS: "Documents: supporting documents.",
        Topic.INSCRIPTION: "Inscription: the registration as a job seeker.",
        Topic.RECHERCHE_EMPLOI: "Recherche d'emploi: the job search.",
        Topic.AUTRE: "Autre: anything else.",
    },
)
SUBJECT_TYPE_NAMES = {SubjectType.APPLICATION: "Application", SubjectType.PROPOSAL: "Proposal"}


@strawberry.enum(name="MessageAuthorKind", description="Who wrote a message.")
class MessageAuthorKind(Enum):
    CANDIDAT = strawberry.enum_value("CANDIDAT", description="The candidat.")
    EMPLOYEUR = strawberry.enum_value("EMPLOYEUR", description="The employer.")
    CONSEILLER = strawberry.enum_value("CONSEILLER", description="An adviser of the agency.")
    SYSTEM = strawberry.enum_value("SYSTEM", description="The site itself.")


AUTHOR_KINDS = {
    AccountKind.CANDIDAT: MessageAuthorKind.CANDIDAT,
    AccountKind.EMPLOYEUR: MessageAuthorKind.EMPLOYEUR,
    AccountKind.CONSEILLER: MessageAuthorKind.CONSEILLER,
}


def subject_global_id(subject_type: str | None, subject_id: int | None) -> relay.GlobalID | None:
    """``Conversation.subjectId`` (the compiled reads' post-pass calls it too)."""
    if subject_type is None or subject_id is None:
        return None
    name = SUBJECT_TYPE_NAMES.get(SubjectType(subject_type))
    return relay.GlobalID(name, str(subject_id)) if name else None


def viewer_reader(info: Info) -> Reader | None:
    viewer = info.context.viewer
    return Reader.of(viewer.account) if viewer is not None else None


def _row_id(row: MessageModel) -> int:
    return row.id


@strawberry.type(description="A PDF attached to a message.")
class MessageAttachment:
    id: strawberry.ID = strawberry.field(description="Its global ID.")
    name: str = strawberry.field(description="The file name given when it was sent.")
    size: int = strawberry.field(description="Size in bytes.")
    content_type: str = strawberry.field(description="Always application/pdf.")
    url: str = strawberry.field(
        description="Where to download it (GET with the same bearer token as /graphql); "
        "only the conversation's readers may."
    )

    @classmethod
    def from_model(cls, info: Info, row: AttachmentModel) -> MessageAttachment:
        gid = relay.to_base64("MessageAttachment", row.id)
        return cls(
            id=strawberry.ID(gid),
            name=row.name,
            size=row.size,
            content_type="application/pdf",
            url=info.context.settings.link(f"/messages/attachments/{gid}"),
        )


@strawberry.type(name="Message", description="One message of a conversation (plain text).")
class Message(relay.Node):
    id: relay.NodeID[int]
    body: str = strawberry.field(description="Plain text; escape it when rendering.")
    created_at: datetime = strawberry.field(description="When it was sent (UTC).")
    cursor: str = strawberry.field(
        description="Give it to `messageReceived(after:)` to resume after this message."
    )
    row: strawberry.Private[MessageModel]

    @strawberry.field(description="Who wrote it.")
    async def author_kind(self, info: Info) -> MessageAuthorKind:
        if self.row.author_id is None:
            return MessageAuthorKind.SYSTEM
        author = await info.context.loaders.author_by_id.load(self.row.author_id)
        if author is None:
            return MessageAuthorKind.SYSTEM
        return AUTHOR_KINDS[AccountKind(author.kind)]

    @strawberry.field(
        description="The author's name for employers (company) and advisers; null for "
        "candidats and the site."
    )
    async def author_name(self, info: Info) -> str | None:
        if self.row.author_id is None:
            return None
        author = await info.context.loaders.author_by_id.load(self.row.author_id)
        if author is None or author.kind == AccountKind.CANDIDAT:
            return None
        return author.display_name

    @strawberry.field(description="True when the signed-in account wrote it.")
    def from_viewer(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer is not None and self.row.author_id == viewer.account.id

    @strawberry.field(description="Read by the signed-in account (its own messages are read).")
    async def read(self, info: Info) -> bool:
        if self.from_viewer(info):
            return True
        marker = await info.context.loaders.read_marker_by_conversation_id.load(
            self.row.conversation_id
        )
        return self.row.id <= marker

    @strawberry.field(description="The conversation it belongs to.")
    async def conversation(self, info: Info) -> Conversation | None:
        row = await info.context.loaders.conversation_by_id.load(self.row.conversation_id)
        reader = viewer_reader(info)
        if row is None or reader is None or not can_see(reader, row):
            return None
        return Conversation.from_model(row)

    @strawberry.field(description="Attached PDFs (at most 5), in the order they were sent.")
    async def attachments(self, info: Info) -> list[MessageAttachment]:
        rows = await info.context.loaders.attachments_by_message_id.load(self.row.id)
        return [MessageAttachment.from_model(info, r) for r in rows]

    @classmethod
    def from_model(cls, row: MessageModel) -> Message:
        return cls(
            id=row.id,
            body=row.body,
            created_at=row.created_at,
            cursor=encode_cursor(row.id),
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Message | None]:
        reader = viewer_reader(info)
        ids = [database_id(i) or 0 for i in node_ids]
        if reader is None:
            return [None for _ in ids]
        loaders = info.context.loaders
        rows = await loaders.message_by_id.load_many(ids)
        parents = await loaders.conversation_by_id.load_many(
            [r.conversation_id if r is not None else 0 for r in rows]
        )
        return [
            cls.from_model(r) if r is not None and c is not None and can_see(reader, c) else None
            for r, c in zip(rows, parents, strict=True)
        ]


@strawberry.type(description="A page of messages, newest first.")
class MessageConnection(relay.Connection[Message]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


@strawberry.type(
    name="Conversation",
    description="Messages between a candidat and their agency, an employer, or the site.",
)
class Conversation(relay.Node):
    id: relay.NodeID[int]
    kind: ConversationKindEnum = strawberry.field(description="Who the candidat talks with.")  # type: ignore[valid-type]
    title: str = strawberry.field(description="The subject line.")
    created_at: datetime = strawberry.field(description="When it started (UTC).")
    last_message_at: datetime = strawberry.field(description="When its last message was sent.")
    row: strawberry.Private[ConversationModel]

    @strawberry.field(description="What an ADVISER conversation is about; null if not given.")
    def topic(self) -> TopicEnum | None:  # type: ignore[valid-type]
        return Topic(self.row.topic) if self.row.topic else None

    @strawberry.field(description="False for the site's messages, which cannot be answered.")
    def can_reply(self) -> bool:
        return self.row.kind != ConversationKind.SYSTEM

    @strawberry.field(
        description="Global ID of the application or proposal it is about (Application or "
        "Proposal), or null."
    )
    def subject_id(self) -> relay.GlobalID | None:
        return subject_global_id(self.row.subject_type, self.row.subject_id)

    @strawberry.field(description="The agency answering an ADVISER conversation; else null.")
    async def agency(self, info: Info) -> Agency | None:
        if self.row.agency_id is None:
            return None
        row = await info.context.loaders.agency_by_id.load(self.row.agency_id)
        return Agency.from_model(row) if row is not None else None

    @strawberry.field(description="Messages the signed-in account has not read yet.")
    async def unread_count(self, info: Info) -> int:
        return await info.context.loaders.unread_count_by_conversation_id.load(self.row.id)

    @strawberry.field(description="Its messages, newest first.")
    async def messages(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> MessageConnection:
        asked = window(info, first, after, last, before)
        loaders = info.context.loaders
        if asked.forward_only:
            rows, more = await loaders.messages_page_by_conversation_id.load(
                (self.row.id, asked.after, asked.limit)
            )
            page = KeysetPage(list(rows), has_next=more, has_previous=asked.after is not None)
        else:
            page = await loaders.message_window_by_conversation.load((0, self.row.id, asked))
        count = lambda: loaders.message_count_by_conversation.load((0, self.row.id))  # noqa: E731
        return paged_connection(MessageConnection, page, Message.from_model, _row_id, count)

    @classmethod
    def from_model(cls, row: ConversationModel) -> Conversation:
        return cls(
            id=row.id,
            kind=ConversationKind(row.kind),
            title=row.title,
            created_at=row.created_at,
            last_message_at=row.last_message_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Conversation | None]:
        reader = viewer_reader(info)
        ids = [database_id(i) or 0 for i in node_ids]
        if reader is None:
            return [None for _ in ids]
        rows = await info.context.loaders.conversation_by_id.load_many(ids)
        return [cls.from_model(r) if r is not None and can_see(reader, r) else None for r in rows]


@strawberry.type(description="A page of conversations, latest activity first.")
class ConversationConnection(relay.Connection[Conversation]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)
