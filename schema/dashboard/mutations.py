"""The dashboard's mutations: record a visit, publish an announcement (advisers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from models.dashboard import AnnouncementKind
from resolvers.dashboard import events as dashboard
from resolvers.identity.sessions import Viewer
from schema.core.context import Info
from schema.core.runner import run_mutation
from schema.dashboard.announcements import (
    Announcement,
    AnnouncementPublishInput,
    AnnouncementPublishPayload,
)
from schema.dashboard.schema import (
    DashboardVisitInput,
    DashboardVisitPayload,
    dashboard_for,
)


@strawberry.type
class Mutation:
    @strawberry.mutation(description='Record a visit, so that "since the last visit" moves on.')
    async def dashboard_visit(
        self,
        info: Info,
        input: Annotated[
            DashboardVisitInput | None,
            strawberry.argument(
                description="Optional and unused today: the visit is recorded at the time of the "
                "request."
            ),
        ] = None,
    ) -> DashboardVisitPayload:
        async def visit(session: AsyncSession, viewer: Viewer) -> tuple[Viewer, datetime]:
            return viewer, await dashboard.record_visit(session, viewer.account.id)

        def visited(done: tuple[Viewer, datetime]) -> DashboardVisitPayload:
            viewer, now = done
            viewer.account.last_visit_at = now
            board = dashboard_for(viewer.account.id, viewer.account.kind, now)
            return DashboardVisitPayload(dashboard=board, user_errors=[])

        return await run_mutation(info, DashboardVisitPayload, visit, visited)

    @strawberry.mutation(description="Publish news or an event (advisers only); pushed live.")
    async def announcement_publish(
        self,
        info: Info,
        input: Annotated[
            AnnouncementPublishInput,
            strawberry.argument(
                description="The news or event to publish and the region it is for."
            ),
        ],
    ) -> AnnouncementPublishPayload:
        return await run_mutation(
            info,
            AnnouncementPublishPayload,
            lambda session, viewer: dashboard.publish_announcement(
                session,
                viewer.account,
                AnnouncementKind(input.kind),
                input.title,
                input.body,
                input.region_code,
                input.event_date,
            ),
            lambda row: AnnouncementPublishPayload(
                announcement=Announcement.from_model(row), user_errors=[]
            ),
        )
