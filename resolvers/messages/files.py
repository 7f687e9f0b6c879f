"""PDFs attached to messages: checked as CVs' are, stored before the message, downloadable
by the conversation's readers only.

Files are checked by their content (``check_pdf``), stored, then the transaction that
sends the message points at them; if it fails they are removed again, so no row ever
points at a missing file (a crash in between leaves an orphan file, never a broken row).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from ground.storage import Download, FileStorage
from models.identity import Account
from models.messages import Conversation, Message, MessageAttachment
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.unit_of_work import UnitOfWork
from resolvers.core.uploads import PDF_TYPE, check_pdf
from resolvers.cvs.files import clean_file_name
from resolvers.messages.conversations import (
    Reader,
    can_see,
    check_body,
    send_message,
    visible_conversation,
)

MAX_ATTACHMENTS = 5
DEFAULT_NAME = "piece-jointe.pdf"


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file, read (``data`` may be one byte over the limit: too large)."""

    data: bytes
    name: str | None


def check_uploads(errors: ErrorCollector, uploads: Sequence[Upload], max_bytes: int) -> None:
    """At most five PDFs, each under the CV rules (FILE_EMPTY, FILE_TOO_LARGE, NOT_PDF)."""
    if len(uploads) > MAX_ATTACHMENTS:
        errors.add(
            "attachments",
            ErrorCode.TOO_LONG,
            f"{MAX_ATTACHMENTS} pièces jointes au plus par message.",
        )
        return
    for n, upload in enumerate(uploads):
        try:
            check_pdf(upload.data, max_bytes, f"attachments.{n}")
        except DomainError as e:
            errors.errors.extend(e.errors)


async def send_with_attachments(
    work: UnitOfWork,
    storage: FileStorage,
    account: Account,
    conversation_id: int,
    body: str | None,
    uploads: Sequence[Upload],
    max_bytes: int,
) -> tuple[Conversation, Message]:
    """``messageSend``: the message and its PDFs, all or nothing."""
    reader = Reader.of(account)
    await visible_conversation(work.read_session(), reader, conversation_id)  # before storing
    errors = ErrorCollector()
    check_body(errors, body)
    check_uploads(errors, uploads, max_bytes)
    errors.raise_if_any()
    keys: list[str] = []
    try:
        for upload in uploads:
            keys.append(await storage.put(upload.data, PDF_TYPE))
        async with work.write() as session:
            conversation, message = await send_message(session, account, conversation_id, body)
            for key, upload in zip(keys, uploads, strict=True):
                session.add(
                    MessageAttachment(
                        message_id=message.id,
                        storage_key=key,
                        name=clean_file_name(upload.name) if upload.name else DEFAULT_NAME,
                        size=len(upload.data),
                    )
                )
            await session.flush()
    except BaseException:
        for key in keys:
            with contextlib.suppress(OSError):
                await storage.delete(key)
        raise
    return conversation, message


async def downloadable(work: UnitOfWork, account: Account, attachment_id: int) -> Download | None:
    """The attachment, when ``account`` may read its conversation; else None (not found)."""
    row = (
        await work.read_session().execute(
            select(MessageAttachment, Conversation)
            .join(Message, Message.id == MessageAttachment.message_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(MessageAttachment.id == attachment_id)
        )
    ).first()
    if row is None:
        return None
    attachment, conversation = row
    if not can_see(Reader.of(account), conversation):
        return None
    return Download(attachment.storage_key, attachment.name)
