"""Tableau de bord: events since the last visit, "Mes actions", news; live over WebSocket."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry

from models.identity import AccountKind
from resolvers.core.paging import count_rows
from resolvers.dashboard import events as dashboard
from resolvers.dashboard.actions import actions_for
from resolvers.proposals.reads import pending_count
from schema.core.base import (
    After,
    First,
    ReplayAfter,
    UserError,
    build_connection,
    decode_cursor,
)
from schema.core.context import Info
from schema.core.live import announcement_stream, event_stream
from schema.core.paging import Before, Last, paged_connection, window
from schema.dashboard.announcements import (
    Announcement,
    AnnouncementConnection,
)
from schema.dashboard.events import (
    DashboardEvent,
    DashboardEventConnection,
)
from schema.dashboard.file_section import DashboardAction, DashboardUnemploymentFile
from schema.dashboard.prefetch import DashboardPrefetch, events_key, file_alone
from schema.messages.lists import viewer_unread_messages


@strawberry.type(description="How many new things each service has since the last visit.")
class ServiceCounts:
    dossiers: int = strawberry.field(description="Dossier changes and e-mail confirmations.")
    account: int = strawberry.field(description="Sign-ins and password changes.")
    messages: int = strawberry.field(description="New messages.")
    proposals: int = strawberry.field(description="New proposals from employers.")
    applications: int = strawberry.field(description="Changes to online applications.")
    saved_offers: int = strawberry.field(description="Changes to offers in the classeur.")
    alerts: int = strawberry.field(description="New offers matching job-offer alerts.")
    cvs: int = strawberry.field(description="Changes to CVs.")
    letters: int = strawberry.field(description="New letters (« Mes courriers »).")
    agenda: int = strawberry.field(description="New, changed and upcoming appointments.")
    indemnisation: int = strawberry.field(
        description="Payments made and bank-account changes (« Mes allocations »)."
    )


@strawberry.type(description="The tableau de bord: what happened since the last visit.")
class Dashboard:
    account_id: strawberry.Private[int]
    kind: strawberry.Private[str]
    last_visit_at: datetime | None = strawberry.field(
        description="The previous visit recorded by `dashboardVisit`; null before the first."
    )
    # The parts the selection asks for, in one statement (schema.dashboard.prefetch).
    prefetch: strawberry.Private[DashboardPrefetch | None] = None

    @strawberry.field(description="Counts of what is new since the last visit, per service.")
    async def new_since_last_visit(self, info: Info) -> ServiceCounts:
        counts = await self.prefetch.counts(info) if self.prefetch else None
        if counts is None:
            counts = await dashboard.counts_since(
                info.context.read_session(), self.account_id, self.last_visit_at
            )
        return ServiceCounts(**{s.value: n for s, n in counts.items()})

    @strawberry.field(
        description="How many employer proposals await the candidat's answer (not expired)."
    )
    async def pending_proposals(self, info: Info) -> int:
        found = await self.prefetch.pending(info) if self.prefetch else None
        if found is not None:
            return found
        return await pending_count(info.context.read_session(), self.account_id)

    @strawberry.field(description="Messages not read yet, in every conversation of the account.")
    async def unread_messages(self, info: Info) -> int:
        found = await self.prefetch.unread(info) if self.prefetch else None
        if found is not None:
            return found
        return await viewer_unread_messages(info, self.account_id)

    @strawberry.field(
        description="The event log, newest first: `first`/`after` page on to older events, "
        "`last`/`before` back to newer ones. It has no `totalCount`: the log keeps every "
        "event of the account for good, "
        "sign-ins included, so a count would read all of it on every page; "
        "`newSinceLastVisit` gives the counts a dashboard shows. New events arrive on the "
        "`dashboardEvents` subscription."
    )
    async def events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> DashboardEventConnection:
        if last is not None or before is not None:
            found = await dashboard.events_window(
                info.context.read_session(),
                self.account_id,
                window(info, first, after, last, before),
            )
            return build_connection(
                DashboardEventConnection,
                found.rows,
                found.has_next,
                DashboardEvent.from_model,
                key=lambda e: e.id,
                has_previous=found.has_previous,
                account_id=self.account_id,
            )
        key = events_key(info, first, after)
        page = await self.prefetch.events(info, key) if self.prefetch else None
        rows, has_next = page or await dashboard.events_page(
            info.context.read_session(), self.account_id, *key
        )
        return build_connection(
            DashboardEventConnection,
            rows,
            has_next,
            DashboardEvent.from_model,
            key=lambda e: e.id,
            has_previous=key[0] is not None,  # newer events come before (as every list says)
            account_id=self.account_id,
            # The first page starts with the newest event; other pages ask when asked.
            newest_id=rows[0].id if rows and key[0] is None else None,
        )

    @strawberry.field(
        description="« Mon dossier de demandeur d'emploi »: the declaration window, the last "
        "declaration and payment, unread letters, the next appointment; null but for candidats."
    )
    async def unemployment_file(self, info: Info) -> DashboardUnemploymentFile | None:
        if self.kind != AccountKind.CANDIDAT:
            return None
        found = await self.prefetch.file(info) if self.prefetch else None
        if found is None:
            found, _ = await file_alone(info, self.account_id, contacts=False)
        assert found is not None
        return DashboardUnemploymentFile.of(found, info.context.runtime.clock.now())

    @strawberry.field(
        description='"Mes actions", what is due first (declare, send a document, confirm an '
        "appointment), then the dossiers' ones; an empty list means \"Vous n'avez aucune "
        'action à réaliser".'
    )
    async def actions(self, info: Info) -> list[DashboardAction]:
        if self.kind != AccountKind.CANDIDAT:
            return []
        file = await self.prefetch.file(info) if self.prefetch else None
        contacts = await self.prefetch.contacts(info) if self.prefetch else None
        if file is None or contacts is None:
            file, contacts = await file_alone(info, self.account_id, contacts=True)
        assert contacts is not None
        return [DashboardAction.of(a) for a in actions_for(self.kind, contacts, file)]


@strawberry.input(description="A visit to the dashboard (no fields needed).")
class DashboardVisitInput:
    note: str | None = strawberry.field(default=None, description="Unused; reserved.")


@strawberry.type(description="Result of `dashboardVisit`.")
class DashboardVisitPayload:
    dashboard: Dashboard | None = strawberry.field(description="The dashboard after the visit.")
    user_errors: list[UserError] = strawberry.field(description="Problems, if any.")


def dashboard_for(
    account_id: int,
    kind: str,
    last_visit_at: datetime | None,
    prefetch: DashboardPrefetch | None = None,
) -> Dashboard:
    return Dashboard(
        account_id=account_id, kind=kind, last_visit_at=last_visit_at, prefetch=prefetch
    )


@strawberry.type
class Query:
    @strawberry.field(description="Past announcements, newest first (national and per région).")
    async def announcements(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        region_code: Annotated[
            str | None,
            strawberry.argument(
                description="Also the announcements of this région (INSEE code, e.g. 53 for "
                "Bretagne); national ones only when omitted."
            ),
        ] = None,
        last: Last = None,
        before: Before = None,
    ) -> AnnouncementConnection:
        asked = window(info, first, after, last, before)
        session = info.context.read_session()
        page = await dashboard.announcements_page(session, region_code, asked)
        stmt = dashboard.announcements_select(region_code)
        return paged_connection(
            AnnouncementConnection,
            page,
            Announcement.from_model,
            key=lambda a: a.id,
            count=lambda: count_rows(session, stmt),
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description=(
            "The viewer's dashboard events: first every event after `after`, then live "
            "ones, with no gap and no duplicate. After listing `dashboard.events`, pass its "
            "`resumeCursor`; after a reconnection, the `cursor` of the last event received. "
            "Without `after`, only new events. Over WebSocket (graphql-transport-ws) or "
            "Server-Sent Events (graphql-sse)."
        )
    )
    async def dashboard_events(
        self, info: Info, after: ReplayAfter = None
    ) -> AsyncGenerator[DashboardEvent, None]:
        async for row in event_stream(info, decode_cursor(after)):
            yield DashboardEvent.from_model(row)

    @strawberry.subscription(description="News and events published by advisers, live.")
    async def announcements(self, info: Info) -> AsyncGenerator[Announcement, None]:
        async for row in announcement_stream(info):
            yield Announcement.from_model(row)
