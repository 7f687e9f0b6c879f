"""Employer proposals: ``proposalSend`` (employers), ``proposalAnswer`` (candidats),
``viewer.proposals`` / ``viewer.sentProposals``, and the ``proposalReceived`` subscription.

Anonymity: a proposal never tells the employer who the candidat is (whatever the CV's
visibility) until the candidat accepts it; then ``Proposal.candidate`` gives the name and
contact of the CV's dossier to that employer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.base import utcnow
from models.identity import AccountKind
from models.proposals import Proposal as ProposalModel
from models.proposals import ProposalStatus
from resolvers import proposals
from resolvers.errors import DomainError
from resolvers.notifications import account_channel
from schema.applications import CandidateContact, visible_cv
from schema.base import (
    UserError,
    build_connection,
    decode_cursor,
    domain_to_api_error,
    encode_cursor,
    page_size,
    user_errors,
)
from schema.context import Info
from schema.cv_types import Cv
from schema.dossier_types import Dossier, _int, decode_global_id
from schema.offer_types import Company, Offer

REPLAY_BATCH = 200

ProposalStatusEnum = strawberry.enum(
    ProposalStatus,
    name="ProposalStatus",
    description="PENDING until the candidat answers (ACCEPTED or DECLINED); EXPIRED when "
    "unanswered past its deadline.",
)


@strawberry.type(
    description="An employer's proposal to the candidat behind a published CV: an offer or a "
    "described job, a message, an optional deadline, and the candidat's answer. Seen by that "
    "employer and that candidat only. It discloses the candidat to the employer only once "
    "accepted (see `candidate`): an anonymous CV stays anonymous until then."
)
class Proposal(relay.Node):
    id: relay.NodeID[int]
    status: ProposalStatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    text: str | None = strawberry.field(description="The job, when no offer is proposed.")
    message: str = strawberry.field(description="The employer's message.")
    deadline: datetime | None = strawberry.field(description="Answer before this (UTC).")
    sent_at: datetime = strawberry.field(description="When it was sent (UTC).")
    answered_at: datetime | None = strawberry.field(description="When the candidat answered.")
    answer_message: str | None = strawberry.field(description="The candidat's message, if any.")
    cursor: str = strawberry.field(
        description="Give it to `proposalReceived(after:)` to resume after this proposal."
    )
    row: strawberry.Private[ProposalModel]

    @strawberry.field(description="What is proposed: the offer's title, or the job's first line.")
    async def title(self, info: Info) -> str:
        offer = None
        if self.row.offer_id is not None:
            offer = await info.context.loaders.offer_by_id.load(self.row.offer_id)
        return proposals.title_of(self.row, offer)

    @strawberry.field(description="The proposed offer, as it is now; null for a described job.")
    async def offer(self, info: Info) -> Offer | None:
        if self.row.offer_id is None:
            return None
        found = await info.context.loaders.offer_by_id.load(self.row.offer_id)
        return Offer.from_model(found) if found is not None else None

    @strawberry.field(description="The employer's company.")
    async def company(self, info: Info) -> Company | None:
        found = await info.context.loaders.company_by_id.load(self.row.company_id)
        return Company.from_model(found) if found is not None else None

    @strawberry.field(
        description="The CV it was sent for, as its visibility lets the viewer see it (for the "
        "employer: without the name when anonymous; null once private again or deleted)."
    )
    async def cv(self, info: Info) -> Cv | None:
        return await visible_cv(info, self.row.cv_id)

    @strawberry.field(description="The dossier of that CV; for the candidat only.")
    async def dossier(self, info: Info) -> Dossier | None:
        viewer = info.context.viewer
        if viewer is None or viewer.account.id != self.row.candidate_id:
            return None
        found = await info.context.loaders.dossier_by_id.load(self.row.dossier_id)
        return Dossier.from_model(found) if found is not None else None

    @strawberry.field(
        description="The candidat's name and contact, once the candidat has accepted: null "
        "before (whatever the CV's visibility), so that the employer learns who it is only "
        "by the candidat's choice."
    )
    async def candidate(self, info: Info) -> CandidateContact | None:
        if self.row.status != ProposalStatus.ACCEPTED:
            return None
        found = await info.context.loaders.dossier_by_id.load(self.row.dossier_id)
        return CandidateContact.from_dossier(found) if found is not None else None

    @classmethod
    def from_model(cls, row: ProposalModel) -> Proposal:
        return cls(
            id=row.id,
            status=proposals.effective_status(row, utcnow()),
            text=row.text,
            message=row.message,
            deadline=row.deadline,
            sent_at=row.created_at,
            answered_at=row.answered_at,
            answer_message=row.answer_message,
            cursor=encode_cursor(row.id),
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Proposal | None]:
        """The viewer's proposals (sent or received); others are not found."""
        ids = [_int(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await proposals.proposals_by_ids(
            info.context.read_session(), viewer.account.id, ids
        )
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of proposals, newest first.")
class ProposalConnection(relay.Connection[Proposal]):
    pass


async def viewer_proposals(
    info: Info,
    account_id: int,
    kind: str,
    first: int | None,
    after: str | None,
    pending_only: bool,
) -> ProposalConnection:
    """``viewer.proposals``: those addressed to the candidat; empty for other accounts."""
    size = page_size(info, first)
    before = decode_cursor(after)
    rows: list[ProposalModel] = []
    has_next = False
    if kind == AccountKind.CANDIDAT:
        found, has_next = await proposals.received_page(
            info.context.read_session(), account_id, pending_only, before, size
        )
        rows = list(found)
    return _connection(rows, has_next, before)


async def viewer_sent_proposals(
    info: Info, account_id: int, kind: str, first: int | None, after: str | None
) -> ProposalConnection:
    """``viewer.sentProposals``: the employer's own; empty for other accounts."""
    size = page_size(info, first)
    before = decode_cursor(after)
    rows: list[ProposalModel] = []
    has_next = False
    if kind == AccountKind.EMPLOYEUR:
        found, has_next = await proposals.sent_page(
            info.context.read_session(), account_id, before, size
        )
        rows = list(found)
    return _connection(rows, has_next, before)


def _connection(
    rows: list[ProposalModel], has_next: bool, before: int | None
) -> ProposalConnection:
    return build_connection(
        ProposalConnection,
        rows,
        has_next,
        Proposal.from_model,
        key=lambda r: r.id,
        has_previous=before is not None,
    )


@strawberry.input(description="A proposal to the candidat behind a published CV.")
class ProposalSendInput:
    cv_id: strawberry.ID = strawberry.field(
        description="A published (named or anonymous) CV's global ID, e.g. from `cvSearch`."
    )
    offer_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of your published offers; or describe the job in `text`."
    )
    text: str | None = strawberry.field(
        default=None, description="The job, when no offer is proposed (5,000 max)."
    )
    message: str = strawberry.field(description="Your message to the candidat (5,000 max).")
    deadline: datetime | None = strawberry.field(
        default=None, description="Answer before this; in the future, with its time zone."
    )


@strawberry.input(description="The candidat's answer to a proposal (once).")
class ProposalAnswerInput:
    id: strawberry.ID = strawberry.field(description="The proposal's global ID.")
    accept: bool = strawberry.field(
        description="True accepts (and discloses your name and contact to the employer); "
        "false declines."
    )
    message: str | None = strawberry.field(
        default=None, description="A message to the employer (5,000 max)."
    )


@strawberry.type(description="The result of a proposal mutation.")
class ProposalPayload:
    proposal: Proposal | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Send a proposal to the candidat behind a published CV (employers; "
        "rate-limited per day). It reaches the candidat live (`proposalReceived`)."
    )
    async def proposal_send(self, info: Info, input: ProposalSendInput) -> ProposalPayload:
        ctx = info.context
        offer_id = None
        if input.offer_id is not None:
            offer_id = decode_global_id(str(input.offer_id), "Offer") or 0
        try:
            viewer = ctx.require_viewer()
            async with ctx.write() as session:
                row = await proposals.send_proposal(
                    session,
                    viewer.account,
                    ctx.runtime.settings.proposals_per_day,
                    decode_global_id(str(input.cv_id), "Cv") or 0,
                    offer_id,
                    input.text,
                    input.message,
                    input.deadline,
                )
        except DomainError as e:
            return ProposalPayload(proposal=None, user_errors=user_errors(e))
        return ProposalPayload(proposal=Proposal.from_model(row), user_errors=[])

    @strawberry.mutation(
        description="Accept or decline a proposal, once, before its deadline (its candidat)."
    )
    async def proposal_answer(self, info: Info, input: ProposalAnswerInput) -> ProposalPayload:
        ctx = info.context
        try:
            viewer = ctx.require_viewer()
            async with ctx.write() as session:
                row = await proposals.answer_proposal(
                    session,
                    viewer.account,
                    decode_global_id(str(input.id), "Proposal") or 0,
                    input.accept,
                    input.message,
                )
        except DomainError as e:
            return ProposalPayload(proposal=None, user_errors=user_errors(e))
        return ProposalPayload(proposal=Proposal.from_model(row), user_errors=[])


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description=(
            "Proposals addressed to the viewer (a candidat): first every one after `after` "
            "(a cursor from `Proposal.cursor`), then new ones live, with no gap and no "
            "duplicate. Without `after`, only new ones. Nothing for other accounts."
        )
    )
    async def proposal_received(
        self, info: Info, after: str | None = None
    ) -> AsyncGenerator[Proposal, None]:
        async for row in _proposal_stream(info, decode_cursor(after)):
            yield Proposal.from_model(row)


async def _proposal_stream(info: Info, after_id: int | None) -> AsyncGenerator[ProposalModel, None]:
    """The same log as the ``proposalReceived`` live topic (``espace.ws.topics``) serves, for
    executors other than the hub: subscribe first, then replay, then re-read on each wake-up."""
    ctx = info.context
    try:
        viewer = ctx.require_viewer()
    except DomainError as e:
        raise domain_to_api_error(e) from e
    runtime = ctx.runtime
    account_id = viewer.account.id
    async with runtime.broker.subscribe(account_channel(account_id)) as sub:
        async with runtime.sessionmaker() as session:
            last = after_id
            if last is None:
                last = await proposals.latest_proposal_id(session, account_id)
        while True:
            async with runtime.sessionmaker() as session:
                rows = await proposals.proposals_after(session, account_id, last, REPLAY_BATCH)
            for row in rows:
                yield row
                last = row.id
            if len(rows) < REPLAY_BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        sub.get(), timeout=runtime.settings.ws_session_recheck_seconds
                    )
