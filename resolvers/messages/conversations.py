"""Messages: who may read a conversation, starting one, sending, marking as read.

Who reads what (``Reader`` and ``visible``):
- a candidat reads their own conversations (``owned_by``, as the compiled reads);
- an employer reads the conversations they are in (about their applications/proposals);
- an adviser reads the ADVISER conversations of their agency, whichever adviser of that
  agency answered; no others. Anything else is NOT_FOUND, so IDs leak nothing.

Each message is "received" by every participant but its author: the candidat, the employer,
every adviser of the agency (each with a read marker and an account channel). System
messages have no author and reach the candidat only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ground.notifications import account_channel, queue_notification
from models.dashboard import EventKind
from models.dossiers import Dossier
from models.identity import Account, AccountKind
from models.messages import Conversation, ConversationKind, Message, Topic
from resolvers.agencies.directory import home_agency_id
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.owners import owned_by
from resolvers.core.validation import clean_text
from resolvers.dashboard.events import record_event
from resolvers.messages.read_markers import advance_marker
from resolvers.offers.checks import clean_multiline

BODY_MAX = 5000
TITLE_MAX = 200
ADVISER_TITLE = "Question à mon agence"
TOPIC_TITLES = {
    Topic.INDEMNISATION: "Question sur mon indemnisation",
    Topic.ACTUALISATION: "Question sur mon actualisation",
    Topic.DOCUMENTS: "Question sur mes justificatifs",
    Topic.INSCRIPTION: "Question sur mon inscription",
    Topic.RECHERCHE_EMPLOI: "Question sur ma recherche d'emploi",
}


@dataclass(frozen=True, slots=True)
class Reader:
    """The account reading messages, as far as visibility goes."""

    account_id: int
    kind: str
    agency_id: int | None

    @classmethod
    def of(cls, account: Account) -> Reader:
        return cls(account.id, account.kind, account.agency_id)


def visible(reader: Reader) -> ColumnElement[bool]:
    """SQL: the conversations ``reader`` may read."""
    if reader.kind == AccountKind.CANDIDAT:
        return owned_by(Conversation, reader.account_id)
    if reader.kind == AccountKind.EMPLOYEUR:
        return Conversation.employer_id == reader.account_id
    if reader.kind == AccountKind.CONSEILLER and reader.agency_id is not None:
        return and_(
            Conversation.kind == ConversationKind.ADVISER.value,
            Conversation.agency_id == reader.agency_id,
        )
    return false()


def can_see(reader: Reader, conversation: Conversation) -> bool:
    """Python twin of ``visible`` for rows already loaded."""
    if reader.kind == AccountKind.CANDIDAT:
        return conversation.candidat_id == reader.account_id
    if reader.kind == AccountKind.EMPLOYEUR:
        return conversation.employer_id == reader.account_id
    return (
        reader.kind == AccountKind.CONSEILLER
        and reader.agency_id is not None
        and conversation.kind == ConversationKind.ADVISER
        and conversation.agency_id == reader.agency_id
    )


def not_found(field: str = "conversationId") -> DomainError:
    return DomainError.single(field, ErrorCode.NOT_FOUND, "Cette conversation est introuvable.")


async def visible_conversation(
    session: AsyncSession, reader: Reader, conversation_id: int, field: str = "conversationId"
) -> Conversation:
    found = await session.scalar(
        select(Conversation).where(Conversation.id == conversation_id, visible(reader))
    )
    if found is None:
        raise not_found(field)
    return found


def check_body(errors: ErrorCollector, body: str | None) -> str | None:
    """Plain text, trimmed, 1 to 5,000 characters."""
    return clean_multiline(errors, "body", body, label="Message", max_len=BODY_MAX)


def check_title(errors: ErrorCollector, title: str | None, default: str) -> str:
    cleaned = clean_text(errors, "title", title, label="Objet", max_len=TITLE_MAX)
    return cleaned or default


async def candidat_agency(session: AsyncSession, account: Account) -> int | None:
    """The agency of the candidat's most recently updated registered dossier; otherwise
    the agency of their home commune (the postal code given at sign-up), so that a new
    candidat can write to an adviser before registering anywhere."""
    stmt = (
        select(Dossier.agency_id)
        .where(
            Dossier.account_id == account.id,
            Dossier.registered.is_(True),
            Dossier.agency_id.is_not(None),
        )
        .order_by(Dossier.updated_at.desc(), Dossier.id.desc())
        .limit(1)
    )
    registered = await session.scalar(stmt)
    return (
        registered if registered is not None else await home_agency_id(session, account.postal_code)
    )


async def start_adviser_conversation(
    session: AsyncSession,
    account: Account,
    title: str | None,
    body: str | None,
    subject: tuple[str, int] | None = None,
    topic: Topic | None = None,
) -> tuple[Conversation, Message]:
    """A candidat writes to their agency (NO_AGENCY until a dossier is registered at one),
    optionally about a checked ``subject`` (type, id) and on a ``topic``."""
    if account.kind != AccountKind.CANDIDAT:
        raise DomainError.single(
            "kind",
            ErrorCode.WRONG_ACCOUNT_KIND,
            "Seuls les candidats écrivent à leur agence depuis la messagerie.",
        )
    errors = ErrorCollector()
    cleaned_title = check_title(
        errors, title, TOPIC_TITLES.get(topic, ADVISER_TITLE) if topic else ADVISER_TITLE
    )
    cleaned_body = check_body(errors, body)
    agency_id = await candidat_agency(session, account)
    if agency_id is None:
        errors.add(
            "kind",
            ErrorCode.NO_AGENCY,
            "Aucune agence ne suit votre dossier ni ne couvre votre code postal : "
            "indiquez votre agence Pôle emploi dans un dossier pour écrire à votre "
            "conseiller.",
        )
    errors.raise_if_any()
    assert cleaned_body is not None
    conversation = Conversation(
        kind=ConversationKind.ADVISER.value,
        candidat_id=account.id,
        agency_id=agency_id,
        subject_type=subject[0] if subject else None,
        subject_id=subject[1] if subject else None,
        title=cleaned_title,
        topic=topic.value if topic is not None else None,
    )
    return conversation, await open_conversation(session, conversation, account.id, cleaned_body)


async def open_conversation(
    session: AsyncSession, conversation: Conversation, author_id: int | None, body: str
) -> Message:
    """Store a new conversation with its first message."""
    session.add(conversation)
    await session.flush()
    return await post_message(session, conversation, author_id, body)


async def send_message(
    session: AsyncSession, account: Account, conversation_id: int, body: str | None
) -> tuple[Conversation, Message]:
    """A participant answers in a conversation they can read (not in system ones)."""
    conversation = await visible_conversation(session, Reader.of(account), conversation_id)
    if conversation.kind == ConversationKind.SYSTEM:
        raise DomainError.single(
            "conversationId",
            ErrorCode.READ_ONLY_CONVERSATION,
            "On ne répond pas aux messages du site.",
        )
    errors = ErrorCollector()
    cleaned = check_body(errors, body)
    errors.raise_if_any()
    assert cleaned is not None
    return conversation, await post_message(session, conversation, account.id, cleaned)


async def send_system_message(
    session: AsyncSession, account_id: int, title: str, body: str
) -> Message:
    """The site writes to a candidat: a new conversation that cannot be answered.

    For the site's own code (no public mutation); it commits with the caller's change.
    """
    errors = ErrorCollector()
    cleaned_title = check_title(errors, title, "Message du site")
    cleaned_body = check_body(errors, body)
    errors.raise_if_any()
    assert cleaned_body is not None
    conversation = Conversation(
        kind=ConversationKind.SYSTEM.value, candidat_id=account_id, title=cleaned_title
    )
    return await open_conversation(session, conversation, None, cleaned_body)


async def post_message(
    session: AsyncSession, conversation: Conversation, author_id: int | None, body: str
) -> Message:
    """Append a message, mark it read for its author, and notify everyone else."""
    await serialise_logs(session, conversation)
    message = Message(conversation_id=conversation.id, author_id=author_id, body=body)
    session.add(message)
    await session.flush()
    conversation.last_message_id = message.id
    conversation.last_message_at = message.created_at
    if author_id is not None:
        await advance_marker(session, conversation.id, author_id, message.id)
    for account_id in await recipients(session, conversation, author_id):
        queue_notification(
            session,
            account_channel(account_id),
            {"type": "message", "id": message.id, "conversation": conversation.id},
        )
    if conversation.candidat_id != author_id:
        await record_event(
            session,
            conversation.candidat_id,
            EventKind.MESSAGE_RECEIVED,
            {"name": conversation.title, "messageId": message.id},
            "conversation",
            conversation.id,
        )
    await session.flush()
    return message


async def recipients(
    session: AsyncSession, conversation: Conversation, author_id: int | None
) -> set[int]:
    """Every participant but the author: the candidat, the employer, the agency's advisers."""
    ids = {conversation.candidat_id}
    if conversation.employer_id is not None:
        ids.add(conversation.employer_id)
    if conversation.kind == ConversationKind.ADVISER and conversation.agency_id is not None:
        advisers = await session.scalars(
            select(Account.id).where(
                Account.kind == AccountKind.CONSEILLER.value,
                Account.agency_id == conversation.agency_id,
            )
        )
        ids.update(advisers)
    if author_id is not None:
        ids.discard(author_id)
    return ids


async def serialise_logs(session: AsyncSession, conversation: Conversation) -> None:
    """On PostgreSQL, make the messages each reader receives commit in id order.

    Ids come from a sequence before commit; a live reader past id N must never miss a
    smaller id committed later. Locks (agency first, then accounts by id) are held to the
    end of the transaction. The account key is the event log's own (``record_event``), so
    a caller that already recorded an event for the candidat takes no second lock.
    """
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite write transactions are serial already
    keys: list[str] = []
    if conversation.kind == ConversationKind.ADVISER and conversation.agency_id is not None:
        keys.append(f"messages:agency:{conversation.agency_id}")
    accounts = {conversation.candidat_id}
    if conversation.employer_id is not None:
        accounts.add(conversation.employer_id)
    keys += [f"events:{i}" for i in sorted(accounts)]
    for key in keys:
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )


async def mark_read(session: AsyncSession, account: Account, conversation_id: int) -> Conversation:
    """Everything in the conversation so far is read by ``account``."""
    conversation = await visible_conversation(session, Reader.of(account), conversation_id)
    if conversation.last_message_id is not None:
        await advance_marker(session, conversation.id, account.id, conversation.last_message_id)
    return conversation
