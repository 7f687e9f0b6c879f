"""DataLoaders of the messages domain (exposed on ``schema.core.loaders.Loaders``).

Per-viewer loaders (unread counts, read markers) read the request's viewer; each is one
query per batch, so lists of conversations and messages never query row by row.
"""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from models.identity import Account
from models.messages import Conversation, Message, MessageAttachment
from resolvers.messages import queries as message_queries
from resolvers.messages.conversations import Reader
from schema.core.loader_context import LoaderContext


class ConversationByIdLoader(DataLoader[int, Conversation | None]):
    """Conversations by id (visibility is the caller's check)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Conversation | None]:
            found = await message_queries.conversations_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class MessageByIdLoader(DataLoader[int, Message | None]):
    """Messages by id (visibility is the caller's check)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Message | None]:
            found = await message_queries.messages_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


PageKey = tuple[int, int | None, int]  # conversation id, before (cursor), page size
Page = tuple[Sequence[Message], bool]


class MessagesPageByConversationIdLoader(DataLoader[PageKey, Page]):
    """A page of each conversation's messages: one query per batch and page shape, so a
    list of conversations with their messages is not one query per conversation."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(keys: list[PageKey]) -> list[Page]:
            shapes: dict[tuple[int | None, int], list[int]] = {}
            for conversation_id, before, size in keys:
                shapes.setdefault((before, size), []).append(conversation_id)
            pages: dict[PageKey, Page] = {}
            for (before, size), ids in shapes.items():
                found = await message_queries.messages_pages(
                    context.read_session(), sorted(set(ids)), before, size
                )
                pages.update(((i, before, size), page) for i, page in found.items())
            return [pages[k] for k in keys]

        super().__init__(load_fn=load)


class AuthorByIdLoader(DataLoader[int, Account | None]):
    """Authors of messages (accounts) by id."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[Account | None]:
            found = await message_queries.accounts_by_ids(context.read_session(), ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=load)


class AttachmentsByMessageIdLoader(DataLoader[int, list[MessageAttachment]]):
    """Each message's attachments, in the order they were sent."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[list[MessageAttachment]]:
            found = await message_queries.attachments_by_message_ids(context.read_session(), ids)
            return [found.get(i, []) for i in ids]

        super().__init__(load_fn=load)


class UnreadCountByConversationIdLoader(DataLoader[int, int]):
    """How many messages of each conversation the viewer has not read."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[int]:
            viewer = context.viewer
            if viewer is None:
                return [0 for _ in ids]
            found = await message_queries.unread_counts(
                context.read_session(), Reader.of(viewer.account), ids
            )
            return [found.get(i, 0) for i in ids]

        super().__init__(load_fn=load)


class ReadMarkerByConversationIdLoader(DataLoader[int, int]):
    """The last message id the viewer has read in each conversation (0: none)."""

    def __init__(self, context: LoaderContext) -> None:
        async def load(ids: list[int]) -> list[int]:
            viewer = context.viewer
            if viewer is None:
                return [0 for _ in ids]
            found = await message_queries.read_markers(
                context.read_session(), viewer.account.id, ids
            )
            return [found.get(i, 0) for i in ids]

        super().__init__(load_fn=load)
