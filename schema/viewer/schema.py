"""``viewer``: the signed-in account, the root of everything a person owns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from models.applications import ApplicationStatus
from models.identity import Account as AccountModel
from models.identity import AccountKind
from schema.applications.types import (
    ApplicationConnection,
    ApplicationStatusEnum,
    viewer_applications,
    viewer_received_applications,
)
from schema.classeur.schema import ClasseurConnection, viewer_classeur
from schema.core.base import After, First, described_enum
from schema.core.context import Info
from schema.core.paging import Before, Last, window
from schema.dashboard.prefetch import dashboard_prefetch
from schema.dashboard.schema import Dashboard, dashboard_for
from schema.dossiers.types import DossierConnection, viewer_dossiers
from schema.messages.lists import viewer_conversations
from schema.messages.types import ConversationConnection
from schema.offers.lists import viewer_company
from schema.offers.types import Company
from schema.proposals.types import ProposalConnection, viewer_proposals, viewer_sent_proposals
from schema.viewer import file_fields
from schema.viewer.prefetch import ViewerPrefetch, viewer_plan

AccountKindEnum = described_enum(
    AccountKind,
    "AccountKind",
    "The three kinds of account.",
    {
        AccountKind.CANDIDAT: "Candidat: a job seeker; signs in with identifiant, password "
        "and postal code.",
        AccountKind.EMPLOYEUR: "Employeur: a company that publishes offers; signs in by e-mail.",
        AccountKind.CONSEILLER: "Conseiller: an adviser of an agency; signs in by e-mail.",
    },
)


@strawberry.type(name="Viewer", description="The signed-in account and what it owns.")
class Viewer(relay.Node):
    id: relay.NodeID[int]
    kind: AccountKindEnum = strawberry.field(description="Candidat, employeur or conseiller.")  # type: ignore[valid-type]
    identifiant: str | None = strawberry.field(
        description="The candidat's identifiant (7 digits and a check letter); null for others."
    )
    email: str | None = strawberry.field(
        description="The sign-in e-mail of an employer or adviser; null for candidats."
    )
    display_name: str | None = strawberry.field(
        description="Name shown for employers and advisers."
    )
    postal_code: str | None = strawberry.field(
        description="The candidat's home postal code, the third sign-in factor."
    )
    last_visit_at: strawberry.Private[datetime | None] = None
    # The first pages of the lists the selection asks for, in one statement
    # (schema.viewer.prefetch).
    prefetch: strawberry.Private[ViewerPrefetch | None] = None

    @strawberry.field(description="The tableau de bord: what happened since the last visit.")
    def dashboard(self, info: Info) -> Dashboard:
        ahead = dashboard_prefetch(info, self.id, self.last_visit_at)
        return dashboard_for(self.id, self.kind, self.last_visit_at, ahead)

    indemnisation = strawberry.field(
        resolver=file_fields.indemnisation,
        description="The candidat's allowance rights and payments; null before rights exist.",
    )
    bank_account = strawberry.field(
        resolver=file_fields.bank_account,
        description="The account the allowance is paid to; null for other account kinds.",
    )

    @strawberry.field(
        description="The candidat's job-search dossiers (DRE), oldest first; empty for others."
    )
    async def dossiers(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> DossierConnection:
        if self.prefetch is not None:
            await self.prefetch.ready(info)
        return await viewer_dossiers(
            info, self.id, self.kind, window(info, first, after, last, before)
        )

    @strawberry.field(description="The candidat's classeur: saved offers, newest first.")
    async def classeur(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ClasseurConnection:
        return await viewer_classeur(
            info, self.id, self.kind, window(info, first, after, last, before)
        )

    @strawberry.field(
        description="The employer's company (with its offers); null for others, and until "
        "the employer saves it or posts a first offer."
    )
    async def company(self, info: Info) -> Company | None:
        return await viewer_company(info, self.id, self.kind)

    registration = strawberry.field(
        resolver=file_fields.registration,
        description="The candidat's registration as a job seeker; null for other accounts.",
    )
    actualisation_window = strawberry.field(
        resolver=file_fields.actualisation_window,
        description="The declaration window open now, else the next one; null for others.",
    )
    actualisations = strawberry.field(
        resolver=file_fields.actualisations,
        description="The candidat's monthly declarations, newest month first (« Consulter "
        "les périodes d'actualisation »); empty for other accounts.",
    )
    supporting_documents = strawberry.field(
        resolver=file_fields.supporting_documents,
        description="Supporting documents, newest first: a candidat's own, an adviser's "
        "agency's (optionally of one status); empty for others.",
    )

    @strawberry.field(
        description="The candidat's télécandidatures, newest first; empty for other accounts."
    )
    async def applications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ApplicationConnection:
        if self.prefetch is not None:
            await self.prefetch.ready(info)
        return await viewer_applications(
            info, self.id, self.kind, window(info, first, after, last, before)
        )

    @strawberry.field(
        description="Applications to the employer's own offers, newest first (optionally one "
        "offer, some statuses); empty for other accounts."
    )
    async def received_applications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        offer_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only the applications to this offer (its global ID)."),
        ] = None,
        statuses: Annotated[
            list[ApplicationStatusEnum] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Only the applications in these statuses; every status when omitted."
            ),
        ] = None,
    ) -> ApplicationConnection:
        wanted = [ApplicationStatus(s) for s in statuses] if statuses is not None else None
        return await viewer_received_applications(
            info, self.id, self.kind, window(info, first, after, last, before), offer_id, wanted
        )

    @strawberry.field(
        description="Employer proposals addressed to the candidat, newest first (only those "
        "awaiting an answer with `pendingOnly`); empty for other accounts."
    )
    async def proposals(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        pending_only: Annotated[
            bool,
            strawberry.argument(description="Only the proposals still awaiting an answer."),
        ] = False,
    ) -> ProposalConnection:
        asked = window(info, first, after, last, before)
        return await viewer_proposals(info, self.id, self.kind, asked, pending_only)

    @strawberry.field(
        description="The proposals the employer sent, newest first; empty for other accounts."
    )
    async def sent_proposals(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> ProposalConnection:
        return await viewer_sent_proposals(
            info, self.id, self.kind, window(info, first, after, last, before)
        )

    @strawberry.field(
        description="Conversations the account may read, latest activity first: a candidat's "
        "own, an employer's, an adviser's agency's. With unreadOnly, those with unread "
        "messages."
    )
    async def conversations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        unread_only: Annotated[
            bool,
            strawberry.argument(description="Only the conversations with unread messages."),
        ] = False,
    ) -> ConversationConnection:
        asked = window(info, first, after, last, before)
        return await viewer_conversations(info, asked, unread_only)

    letters = strawberry.field(
        resolver=file_fields.letters,
        description="« Mes courriers »: the candidat's letters, newest first (only unread "
        "ones with `unreadOnly`); empty for other accounts.",
    )
    agenda = strawberry.field(
        resolver=file_fields.agenda,
        description="« Mon agenda »: one list in time order of a candidat's appointments and "
        "the workshops they registered to; an adviser's agency's appointments (only those not "
        "yet started with `upcomingOnly`)." + file_fields.FORWARD_ONLY,
    )
    workshops = strawberry.field(
        resolver=file_fields.workshops,
        description="« Événements »: the upcoming workshops of the viewer's agency, with "
        "their places (register with `workshopRegister`)." + file_fields.FORWARD_ONLY,
    )
    attestations = strawberry.field(
        resolver=file_fields.attestations,
        description="The attestations the candidat asked for, newest first; empty for others.",
    )
    data_exports = strawberry.field(
        resolver=file_fields.data_exports,
        description="The candidat's data export requests and their state, newest first.",
    )

    @classmethod
    def from_model(cls, account: AccountModel) -> Viewer:
        return cls(
            id=account.id,
            kind=account.kind,
            identifiant=account.identifiant,
            email=account.email,
            display_name=account.display_name,
            postal_code=account.postal_code,
            last_visit_at=account.last_visit_at,
        )

    @classmethod
    def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Viewer | None]:
        viewer = info.context.viewer
        return [
            cls.from_model(viewer.account)
            if viewer is not None and str(viewer.account.id) == node_id
            else None
            for node_id in node_ids
        ]


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in account, or null when not signed in.")
    def viewer(self, info: Info) -> Viewer | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        found = Viewer.from_model(viewer.account)
        plan = viewer_plan(info, viewer.account.kind)
        if plan is not None:
            found.prefetch = ViewerPrefetch(viewer.account.id, plan)
        return found
