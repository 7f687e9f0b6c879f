"""Messages: conversations with the agency, with employers and from the site; live.

``viewer { conversations }`` lists them (``schema.viewer.schema``);
``viewer.dashboard.unreadMessages`` counts what is unread; ``messageReceived`` follows new
messages over WebSocket (served by the hub's ``LogTopic``, see ``espace.ws.topics``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.file_uploads import Upload

from ground.notifications import account_channel
from models.messages import ConversationKind, Topic
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.identity.sessions import Viewer
from resolvers.messages import conversations as messages
from resolvers.messages import files as message_files
from resolvers.messages import queries as message_queries
from resolvers.messages import subjects as message_subjects
from resolvers.messages.subjects import SubjectRef, subject_not_found
from schema.core.base import ReplayAfter, UserError, decode_cursor, domain_to_api_error
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.runner import run_mutation, run_signed_in
from schema.messages.types import (
    SUBJECT_TYPE_NAMES,
    Conversation,
    ConversationKindEnum,
    Message,
    TopicEnum,
)

REPLAY_BATCH = 200


@strawberry.input(description="A new conversation and its first message.")
class ConversationStartInput:
    kind: ConversationKindEnum = strawberry.field(  # type: ignore[valid-type]
        description="ADVISER: a candidat writes to their agency. EMPLOYER: an employer "
        "writes to the candidat of one of their applications or proposals."
    )
    body: str = strawberry.field(description="The first message: plain text, 1 to 5,000.")
    title: str | None = strawberry.field(
        default=None, description="Subject line, up to 200 characters (a default is given)."
    )
    subject_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The application or proposal it is about (global ID); required for EMPLOYER.",
    )
    topic: TopicEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="ADVISER only: what the question is about (gives the default subject line).",
    )


@strawberry.type(description="The result of conversationStart.")
class ConversationStartPayload:
    conversation: Conversation | None = strawberry.field(description="It, or null if refused.")
    message: Message | None = strawberry.field(description="The first message.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.input(description="A message in an existing conversation.")
class MessageSendInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation's global ID.")
    body: str = strawberry.field(description="Plain text, 1 to 5,000 characters.")
    attachments: list[Upload] | None = strawberry.field(
        default=None,
        description="Up to 5 PDFs (multipart request), each under the CV rules: NOT_PDF "
        "(checked by content), FILE_TOO_LARGE, FILE_EMPTY on `attachments.<n>`.",
    )


@strawberry.type(description="The result of messageSend.")
class MessageSendPayload:
    message: Message | None = strawberry.field(description="The sent message, or null.")
    conversation: Conversation | None = strawberry.field(description="Its conversation.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.input(description="The conversation the signed-in account has read.")
class ConversationMarkReadInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation's global ID.")


@strawberry.type(description="The result of conversationMarkRead.")
class ConversationMarkReadPayload:
    conversation: Conversation | None = strawberry.field(description="It, now read.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


def conversation_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Conversation") or 0


async def read_upload(file: Any, limit: int) -> message_files.Upload:
    """At most ``limit + 1`` bytes of an uploaded file (one more says it is too large)."""
    read = getattr(file, "read", None)
    if read is None:
        raise DomainError.single(
            "attachments", ErrorCode.REQUIRED, "Joignez des fichiers PDF (requête multipart)."
        )
    data = await read(limit + 1)
    return message_files.Upload(bytes(data), getattr(file, "filename", None))


def subject_ref(raw: strawberry.ID | None) -> SubjectRef | None:
    """The application or proposal a global ID names; NOT_FOUND for anything else."""
    if raw is None:
        return None
    for subject_type, name in SUBJECT_TYPE_NAMES.items():
        found = decode_global_id(str(raw), name)
        if found is not None:
            return SubjectRef(subject_type, found)
    raise subject_not_found()


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Start a conversation: a candidat with their agency (NO_AGENCY until a "
        "dossier is registered at one), an employer about an application or a proposal."
    )
    async def conversation_start(
        self,
        info: Info,
        input: Annotated[
            ConversationStartInput,
            strawberry.argument(
                description="Who to write to (the agency, or an employer about an application or "
                "proposal), a subject and the first message."
            ),
        ],
    ) -> ConversationStartPayload:
        async def start(session: AsyncSession, viewer: Viewer) -> tuple[Any, Any]:
            return await message_subjects.start_conversation(
                session,
                viewer.account,
                ConversationKind(input.kind),
                subject_ref(input.subject_id),
                input.title,
                input.body,
                Topic(input.topic) if input.topic is not None else None,
            )

        return await run_mutation(
            info,
            ConversationStartPayload,
            start,
            lambda done: ConversationStartPayload(
                conversation=Conversation.from_model(done[0]),
                message=Message.from_model(done[1]),
                user_errors=[],
            ),
        )

    @strawberry.mutation(description="Answer in a conversation; every other participant is told.")
    async def message_send(
        self,
        info: Info,
        input: Annotated[
            MessageSendInput,
            strawberry.argument(
                description="The conversation and the message's text (and PDF attachments)."
            ),
        ],
    ) -> MessageSendPayload:
        ctx = info.context
        limit = ctx.settings.max_upload_bytes

        async def send(viewer: Viewer) -> tuple[Any, Any]:
            uploads = [await read_upload(f, limit) for f in input.attachments or []]
            return await message_files.send_with_attachments(
                ctx,
                ctx.runtime.storage,
                viewer.account,
                conversation_id(input.conversation_id),
                input.body,
                uploads,
                limit,
            )

        return await run_signed_in(
            info,
            MessageSendPayload,
            send,
            lambda done: MessageSendPayload(
                message=Message.from_model(done[1]),
                conversation=Conversation.from_model(done[0]),
                user_errors=[],
            ),
        )

    @strawberry.mutation(description="Mark every message of a conversation as read.")
    async def conversation_mark_read(
        self,
        info: Info,
        input: Annotated[
            ConversationMarkReadInput,
            strawberry.argument(description="The conversation read up to now."),
        ],
    ) -> ConversationMarkReadPayload:
        return await run_mutation(
            info,
            ConversationMarkReadPayload,
            lambda session, viewer: messages.mark_read(
                session, viewer.account, conversation_id(input.conversation_id)
            ),
            lambda row: ConversationMarkReadPayload(
                conversation=Conversation.from_model(row), user_errors=[]
            ),
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Messages the signed-in account receives (never its own): first every "
        "one after `after` (a `Message.cursor`), then live ones, with no gap and no "
        "duplicate. Without `after`, only new ones."
    )
    async def message_received(
        self, info: Info, after: ReplayAfter = None
    ) -> AsyncGenerator[Message, None]:
        # Over WebSocket the hub serves this field as a LogTopic; this generator is the
        # same contract for any other transport.
        ctx = info.context
        try:
            viewer = ctx.require_viewer()
        except DomainError as e:
            raise domain_to_api_error(e) from e
        runtime = ctx.runtime
        account_id = viewer.account.id
        start = decode_cursor(after)
        async with runtime.broker.subscribe(account_channel(account_id)) as sub:
            async with runtime.sessionmaker() as session:
                last = (
                    start
                    if start is not None
                    else await message_queries.latest_received_id(session, account_id)
                )
            while True:
                async with runtime.sessionmaker() as session:
                    rows = await message_queries.received_after(
                        session, account_id, last, REPLAY_BATCH
                    )
                for row in rows:
                    yield Message.from_model(row)
                    last = row.id
                if len(rows) == REPLAY_BATCH:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        sub.get(), timeout=runtime.settings.ws_session_recheck_seconds
                    )
