"""Starting conversations, and what they may be about (an application or a proposal).

- ADVISER: a candidat writes to their agency, optionally about one of their own
  applications or proposals.
- EMPLOYER: the employer, or the candidat, of one application or proposal writes to the
  other. There is one such conversation per subject: starting it again adds the message
  to the existing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.applications import Application
from models.identity import Account, AccountKind
from models.messages import Conversation, ConversationKind, Message, SubjectType, Topic
from models.offers import Offer
from models.proposals import Proposal
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.messages.conversations import (
    check_body,
    check_title,
    open_conversation,
    post_message,
    serialise_logs,
    start_adviser_conversation,
)
from resolvers.proposals.manage import title_of


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """An application or proposal named by the client (not checked yet)."""

    type: SubjectType
    id: int


@dataclass(frozen=True, slots=True)
class Subject:
    """An application or proposal, with the two accounts it binds."""

    type: SubjectType
    id: int
    candidat_id: int
    employer_id: int
    title: str

    def involves(self, account: Account) -> bool:
        if account.kind == AccountKind.CANDIDAT:
            return account.id == self.candidat_id
        return account.kind == AccountKind.EMPLOYEUR and account.id == self.employer_id


def subject_not_found() -> DomainError:
    return DomainError.single(
        "subjectId", ErrorCode.NOT_FOUND, "Cette candidature ou proposition est introuvable."
    )


async def find_subject(session: AsyncSession, ref: SubjectRef) -> Subject | None:
    if ref.type == SubjectType.APPLICATION:
        row = (
            await session.execute(
                select(Application, Offer.intitule)
                .join(Offer, Offer.id == Application.offer_id)
                .where(Application.id == ref.id)
            )
        ).first()
        if row is None:
            return None
        application, intitule = row
        return Subject(
            ref.type,
            application.id,
            application.account_id,
            application.employer_id,
            f"Candidature : {intitule}",
        )
    found = (
        await session.execute(
            select(Proposal, Offer)
            .outerjoin(Offer, Offer.id == Proposal.offer_id)
            .where(Proposal.id == ref.id)
        )
    ).first()
    if found is None:
        return None
    proposal, offer = found
    return Subject(
        ref.type,
        proposal.id,
        proposal.candidate_id,
        proposal.employer_id,
        f"Proposition : {title_of(proposal, offer)}",
    )


async def start_conversation(
    session: AsyncSession,
    account: Account,
    kind: ConversationKind,
    ref: SubjectRef | None,
    title: str | None,
    body: str | None,
    topic: Topic | None = None,
) -> tuple[Conversation, Message]:
    """``conversationStart``: a new conversation (or the subject's one) and its message;
    ``topic`` (what a question to the adviser is about) only for ADVISER."""
    subject = await find_subject(session, ref) if ref is not None else None
    if ref is not None and (subject is None or not subject.involves(account)):
        raise subject_not_found()
    if kind == ConversationKind.ADVISER:
        return await start_adviser_conversation(
            session, account, title, body, _subject_columns(subject), topic
        )
    if topic is not None:
        raise DomainError.single(
            "topic", ErrorCode.INVALID, "Seules les questions à l'agence ont un thème."
        )
    if kind != ConversationKind.EMPLOYER:
        raise DomainError.single(
            "kind", ErrorCode.INVALID, "Les messages du site ne se démarrent pas ici."
        )
    if subject is None:
        raise DomainError.single(
            "subjectId",
            ErrorCode.REQUIRED,
            "Indiquez la candidature ou la proposition dont il s'agit.",
        )
    return await _start_with_employer(session, account, subject, title, body)


def _subject_columns(subject: Subject | None) -> tuple[str, int] | None:
    return (subject.type.value, subject.id) if subject is not None else None


async def _start_with_employer(
    session: AsyncSession, account: Account, subject: Subject, title: str | None, body: str | None
) -> tuple[Conversation, Message]:
    errors = ErrorCollector()
    cleaned_title = check_title(errors, title, subject.title)
    cleaned_body = check_body(errors, body)
    errors.raise_if_any()
    assert cleaned_body is not None
    conversation = Conversation(
        kind=ConversationKind.EMPLOYER.value,
        candidat_id=subject.candidat_id,
        employer_id=subject.employer_id,
        subject_type=subject.type.value,
        subject_id=subject.id,
        title=cleaned_title,
    )
    # Locked before looking: two starts about one subject make one conversation.
    await serialise_logs(session, conversation)
    existing = await session.scalar(
        select(Conversation).where(
            Conversation.kind == ConversationKind.EMPLOYER.value,
            Conversation.subject_type == subject.type.value,
            Conversation.subject_id == subject.id,
        )
    )
    if existing is not None:
        return existing, await post_message(session, existing, account.id, cleaned_body)
    return conversation, await open_conversation(session, conversation, account.id, cleaned_body)
