"""GraphQL types of employer proposals: the proposal, and the ``viewer.proposals`` /
``viewer.sentProposals`` connections.

Anonymity: a proposal never tells the employer who the candidat is (whatever the CV's
visibility) until the candidat accepts it; then ``Proposal.candidate`` gives the name and
contact of the CV's dossier to that employer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from sqlalchemy import Select
from strawberry import relay

from models.base import utcnow
from models.identity import AccountKind
from models.privacy_log import AccessKind
from models.proposals import Proposal as ProposalModel
from models.proposals import ProposalStatus
from resolvers.core.paging import Window, count_rows
from resolvers.proposals import manage as proposals
from resolvers.proposals import reads as proposals_reads
from schema.access_log.note import saw
from schema.applications.types import CandidateContact, visible_cv
from schema.core.base import described_enum, encode_cursor
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection
from schema.cvs.types import Cv
from schema.dossiers.types import Dossier
from schema.offers.types import Company, Offer

ProposalStatusEnum = described_enum(
    ProposalStatus,
    "ProposalStatus",
    "PENDING until the candidat answers (ACCEPTED or DECLINED); EXPIRED when "
    "unanswered past its deadline.",
    {
        ProposalStatus.PENDING: "En attente: the candidat has not answered yet.",
        ProposalStatus.ACCEPTED: "Acceptée: the candidat is interested.",
        ProposalStatus.DECLINED: "Déclinée: the candidat is not interested.",
        ProposalStatus.EXPIRED: "Expirée: its deadline passed without an answer.",
    },
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
        saw(info, self.row.candidate_id, AccessKind.CONTACT_OPENED, self.row.id)
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
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await proposals_reads.proposals_by_ids(
            info.context.read_session(), viewer.account.id, ids
        )
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of proposals, newest first.")
class ProposalConnection(relay.Connection[Proposal]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_proposals(
    info: Info, account_id: int, kind: str, asked: Window, pending_only: bool
) -> ProposalConnection:
    """``viewer.proposals``: those addressed to the candidat; empty for other accounts."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(ProposalConnection, empty_page(), Proposal.from_model, _key)
    return await _connection(info, proposals_reads.received_select(account_id, pending_only), asked)


async def viewer_sent_proposals(
    info: Info, account_id: int, kind: str, asked: Window
) -> ProposalConnection:
    """``viewer.sentProposals``: the employer's own; empty for other accounts."""
    if kind != AccountKind.EMPLOYEUR:
        return paged_connection(ProposalConnection, empty_page(), Proposal.from_model, _key)
    return await _connection(info, proposals_reads.sent_select(account_id), asked)


def _key(row: ProposalModel) -> int:
    return row.id


async def _connection(info: Info, stmt: Select[ProposalModel], asked: Window) -> ProposalConnection:
    session = info.context.read_session()
    page = await proposals_reads.proposals_page(session, stmt, asked)
    return paged_connection(
        ProposalConnection, page, Proposal.from_model, _key, lambda: count_rows(session, stmt)
    )
