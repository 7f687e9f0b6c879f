"""Employer proposals: an employer who found a published CV proposes an offer or a job.

- Only to a CV that is PUBLISHED or ANONYMOUS: a private CV is "not found", so that an
  employer never learns it exists. The offer, when given, is one of the employer's own
  published offers; otherwise a free text describes the job. A deadline is in the future.
- At most ``Settings.proposals_per_day`` proposals per employer in any 24 hours (THROTTLED).
- The addressee is the CV's account. The candidat answers once (accept or decline, with an
  optional message), not after the deadline. The employer never learns who the candidat is
  through a proposal until the candidat accepts it (see ``schema.proposals.schema``).
- The candidat's proposals are a log followed by cursor (``proposalReceived``): each new
  one is announced on the account channel after commit, and a dashboard event is recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ground.notifications import account_channel, queue_notification
from models.base import utcnow
from models.cvs import Cv, CvVisibility
from models.dashboard import EventKind
from models.identity import Account, AccountKind
from models.offers import Offer, OfferStatus
from models.proposals import Proposal, ProposalStatus
from resolvers.applications.manage import MESSAGE_MAX, optional_message, require_kind
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.dashboard.events import record_event
from resolvers.offers.checks import clean_multiline
from resolvers.offers.companies import ensure_company

SUBJECT = "proposal"
MAX_ID = 2**63 - 1
FINDABLE = (CvVisibility.PUBLISHED.value, CvVisibility.ANONYMOUS.value)
ANSWER_LABELS = {True: "acceptée", False: "déclinée"}


def effective_status(proposal: Proposal, now: datetime) -> ProposalStatus:
    """The stored status, or EXPIRED for an unanswered proposal past its deadline."""
    status = ProposalStatus(proposal.status)
    late = proposal.deadline is not None and proposal.deadline <= now
    return ProposalStatus.EXPIRED if status == ProposalStatus.PENDING and late else status


def not_found(field: str | None = "id") -> DomainError:
    return DomainError.single(field, ErrorCode.NOT_FOUND, "Cette proposition est introuvable.")


async def send_proposal(
    session: AsyncSession,
    account: Account,
    per_day: int,
    cv_id: int,
    offer_id: int | None,
    job_text: str | None,
    message: str,
    deadline: datetime | None,
) -> Proposal:
    """An employer proposes an offer (or a job described in ``job_text``) to a CV's owner."""
    require_kind(account, AccountKind.EMPLOYEUR, "Seuls les employeurs envoient des propositions.")
    errors = ErrorCollector()
    body = clean_multiline(errors, "message", message, label="Message", max_len=MESSAGE_MAX)
    described = optional_message(errors, "text", job_text)
    if offer_id is None and described is None and not errors.has("text"):
        errors.add("text", ErrorCode.REQUIRED, "Proposez une de vos offres ou décrivez le poste.")
    _check_deadline(errors, deadline)
    cv = await session.get(Cv, min(cv_id, MAX_ID)) if cv_id > 0 else None
    if cv is None or cv.visibility not in FINDABLE:
        errors.add("cvId", ErrorCode.NOT_FOUND, "Ce CV est introuvable.")
    offer = await _own_offer(session, errors, account.id, offer_id)
    errors.raise_if_any()
    assert cv is not None and body is not None
    await _throttle(session, account.id, per_day)
    company = await ensure_company(session, account)
    await _lock_log(session, cv.account_id)
    proposal = Proposal(
        employer_id=account.id,
        company_id=company.id,
        candidate_id=cv.account_id,
        dossier_id=cv.dossier_id,
        cv_id=cv.id,
        offer_id=offer.id if offer is not None else None,
        text=described,
        message=body,
        deadline=deadline,
        status=ProposalStatus.PENDING.value,
    )
    session.add(proposal)
    await session.flush()
    queue_notification(
        session, account_channel(cv.account_id), {"type": "proposal", "id": proposal.id}
    )
    payload = {"name": company.name, "title": title_of(proposal, offer)}
    await record_event(
        session, cv.account_id, EventKind.PROPOSAL_RECEIVED, payload, SUBJECT, proposal.id
    )
    return proposal


def title_of(proposal: Proposal, offer: Offer | None) -> str:
    """What is proposed, in a few words: the offer's title, or the text's first line."""
    return title_from(offer.intitule if offer is not None else None, proposal.text)


def title_from(intitule: str | None, text: str | None) -> str:
    """``title_of`` from the offer's intitulé (None: no offer) and the proposal's text (the
    compiled reads' post-pass calls it with the values the database read)."""
    if intitule is not None:
        return intitule
    first = (text or "").strip().splitlines()[:1]
    line = first[0] if first else ""
    return line if len(line) <= 80 else line[:79] + "…"


def _check_deadline(errors: ErrorCollector, deadline: datetime | None) -> None:
    if deadline is None:
        return
    if deadline.tzinfo is None:
        errors.add(
            "deadline",
            ErrorCode.INVALID_DATE,
            "Indiquez l'échéance avec son fuseau horaire (ex. 2030-06-30T18:00:00+02:00).",
        )
    elif deadline.astimezone(UTC) <= utcnow():
        errors.add("deadline", ErrorCode.INVALID_DATE, "L'échéance doit être dans le futur.")


async def _own_offer(
    session: AsyncSession, errors: ErrorCollector, account_id: int, offer_id: int | None
) -> Offer | None:
    if offer_id is None:
        return None
    offer = await session.get(Offer, min(offer_id, MAX_ID)) if offer_id > 0 else None
    if offer is None or offer.account_id != account_id:
        errors.add("offerId", ErrorCode.NOT_FOUND, "Cette offre est introuvable.")
        return None
    expired = offer.expires_at is not None and offer.expires_at <= utcnow()
    if offer.status != OfferStatus.PUBLISHED or expired:
        errors.add("offerId", ErrorCode.OFFER_CLOSED, "Publiez cette offre avant de la proposer.")
        return None
    return offer


async def _throttle(session: AsyncSession, employer_id: int, per_day: int) -> None:
    # Lock the employer's row first, so that two concurrent sends count one after the other.
    await session.execute(select(Account.id).where(Account.id == employer_id).with_for_update())
    since = utcnow() - timedelta(days=1)
    sent = await session.scalar(
        select(func.count(Proposal.id)).where(
            Proposal.employer_id == employer_id, Proposal.created_at > since
        )
    )
    if int(sent or 0) >= per_day:
        raise DomainError.single(
            None,
            ErrorCode.THROTTLED,
            f"Vous avez envoyé {per_day} propositions en 24 heures : réessayez plus tard.",
        )


async def _lock_log(session: AsyncSession, candidate_id: int) -> None:
    """Serialise the candidat's proposals as record_event serialises its events (same key):
    ids then commit in order, and a live reader past id N never misses a smaller one."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"events:{candidate_id}"},
        )


async def answer_proposal(
    session: AsyncSession, account: Account, proposal_id: int, accept: bool, message: str | None
) -> Proposal:
    """The candidat accepts or declines, once, before the deadline."""
    require_kind(account, AccountKind.CANDIDAT, "Seuls les candidats répondent aux propositions.")
    errors = ErrorCollector()
    note = optional_message(errors, "message", message)
    errors.raise_if_any()
    proposal = await session.scalar(
        select(Proposal)
        .where(Proposal.id == min(proposal_id, MAX_ID), Proposal.candidate_id == account.id)
        .with_for_update()
    )
    if proposal is None:
        raise not_found()
    now = utcnow()
    status = effective_status(proposal, now)
    if status == ProposalStatus.EXPIRED:
        raise DomainError.single(
            "id", ErrorCode.DEADLINE_PASSED, "L'échéance de cette proposition est passée."
        )
    if status != ProposalStatus.PENDING:
        raise DomainError.single(
            "id", ErrorCode.INVALID_TRANSITION, "Vous avez déjà répondu à cette proposition."
        )
    proposal.status = (ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED).value
    proposal.answer_message = note
    proposal.answered_at = now
    offer = await session.get(Offer, proposal.offer_id) if proposal.offer_id else None
    payload = {
        "name": title_of(proposal, offer),
        "status": proposal.status,
        "statusLabel": ANSWER_LABELS[accept],
    }
    await record_event(
        session, proposal.employer_id, EventKind.PROPOSAL_ANSWERED, payload, SUBJECT, proposal.id
    )
    return proposal
