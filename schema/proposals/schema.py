"""Employer proposals: ``proposalSend`` (employers), ``proposalAnswer`` (candidats) and the
``proposalReceived`` subscription. The types are ``schema.proposals.types``'s.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry

from ground.notifications import account_channel
from models.proposals import Proposal as ProposalModel
from resolvers.core.errors import DomainError
from resolvers.proposals import manage as proposals
from resolvers.proposals import reads as proposals_reads
from schema.core.base import ReplayAfter, UserError, decode_cursor, domain_to_api_error
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.runner import run_mutation
from schema.proposals.types import Proposal

REPLAY_BATCH = 200


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
    async def proposal_send(
        self,
        info: Info,
        input: Annotated[
            ProposalSendInput,
            strawberry.argument(
                description="The published CV, the offer proposed, a message and an answer "
                "deadline."
            ),
        ],
    ) -> ProposalPayload:
        ctx = info.context
        offer_id = None
        if input.offer_id is not None:
            offer_id = decode_global_id(str(input.offer_id), "Offer") or 0
        return await run_mutation(
            info,
            ProposalPayload,
            lambda session, viewer: proposals.send_proposal(
                session,
                viewer.account,
                ctx.runtime.settings.proposals_per_day,
                decode_global_id(str(input.cv_id), "Cv") or 0,
                offer_id,
                input.text,
                input.message,
                input.deadline,
            ),
            lambda row: ProposalPayload(proposal=Proposal.from_model(row), user_errors=[]),
        )

    @strawberry.mutation(
        description="Accept or decline a proposal, once, before its deadline (its candidat)."
    )
    async def proposal_answer(
        self,
        info: Info,
        input: Annotated[
            ProposalAnswerInput,
            strawberry.argument(
                description="The proposal, the candidat's answer (accept or decline) and an "
                "optional message."
            ),
        ],
    ) -> ProposalPayload:
        return await run_mutation(
            info,
            ProposalPayload,
            lambda session, viewer: proposals.answer_proposal(
                session,
                viewer.account,
                decode_global_id(str(input.id), "Proposal") or 0,
                input.accept,
                input.message,
            ),
            lambda row: ProposalPayload(proposal=Proposal.from_model(row), user_errors=[]),
        )


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
        self, info: Info, after: ReplayAfter = None
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
                last = await proposals_reads.latest_proposal_id(session, account_id)
        while True:
            async with runtime.sessionmaker() as session:
                rows = await proposals_reads.proposals_after(
                    session, account_id, last, REPLAY_BATCH
                )
            for row in rows:
                yield row
                last = row.id
            if len(rows) < REPLAY_BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        sub.get(), timeout=runtime.settings.ws_session_recheck_seconds
                    )
