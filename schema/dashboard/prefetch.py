"""Look-ahead for the tableau de bord: the counts, unread messages, pending proposals, the
first events page, « Mon dossier de demandeur d'emploi » and « Mes actions » the ``dashboard``
selection asks for, in one statement (``resolvers.dashboard.summary``), shared by the
``Dashboard`` field resolvers.

Like ``schema.viewer.prefetch``, it only answers what it was asked under the same arguments; any
other selection (an ``events`` alias with another page, a dashboard without look-ahead, as
in ``dashboardVisit``'s payload) falls back to the fields' own queries.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from graphql import GraphQLError

from models.base import utcnow
from models.dashboard import Service
from models.identity import AccountKind
from resolvers.agenda.manage import change_notice
from resolvers.dashboard.actions import DossierContact
from resolvers.dashboard.file_parts import FileSummary
from resolvers.dashboard.summary import (
    EventsKey,
    EventsPage,
    FileAsk,
    Summary,
    dashboard_summary,
)
from schema.core.base import decode_cursor, page_size
from schema.core.context import Info
from schema.messages.types import viewer_reader
from schema.viewer.prefetch import child, first_after


@dataclass(frozen=True, slots=True)
class DashboardPlan:
    """The parts of the dashboard a selection asks for."""

    counts: bool
    unread: bool
    pending: bool
    events: EventsKey | None
    file: bool = False  # unemploymentFile, or the file's part of actions
    contacts: bool = False  # the dossiers' part of actions


def file_ask(info: Info) -> FileAsk:
    """The file's parts at the runtime's clock (tests drive it)."""
    runtime = info.context.runtime
    return runtime.clock.now(), change_notice(runtime)


def events_key(info: Info, first: int | None, after: str | None) -> EventsKey:
    return decode_cursor(after), page_size(info, first)


def dashboard_plan(info: Info, kind: str) -> DashboardPlan | None:
    """What the ``dashboard`` field being resolved asks for; None when nothing or unclear."""
    selections = [s for f in info.selected_fields for s in f.selections]
    events = child(selections, "events")
    try:
        key = None
        if events is not None:
            key = events_key(info, *first_after(events))
    except GraphQLError:  # the events resolver reports it
        return None
    candidat = kind == AccountKind.CANDIDAT  # nobody else has a file or actions
    actions = candidat and child(selections, "actions") is not None
    plan = DashboardPlan(
        counts=child(selections, "newSinceLastVisit") is not None,
        unread=child(selections, "unreadMessages") is not None,
        pending=child(selections, "pendingProposals") is not None,
        events=key,
        file=actions or (candidat and child(selections, "unemploymentFile") is not None),
        contacts=actions,
    )
    wanted = [plan.counts, plan.unread, plan.pending, plan.events is not None]
    wanted += [plan.file, plan.contacts]  # actions alone ask both: one statement too
    return plan if sum(wanted) >= 2 else None  # one part alone: its own query is as good


@dataclass
class DashboardPrefetch:
    """Runs the plan once, for whichever dashboard field asks first."""

    account_id: int
    since: datetime | None
    plan: DashboardPlan
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _found: Summary | None = None

    async def summary(self, info: Info) -> Summary:
        async with self._lock:
            if self._found is None:
                reader = viewer_reader(info)
                if reader is not None and reader.account_id != self.account_id:
                    reader = None  # another account's dashboard: no unread messages
                self._found = await dashboard_summary(
                    info.context.read_session(),
                    self.account_id,
                    since=self.since,
                    counts=self.plan.counts,
                    reader=reader if self.plan.unread else None,
                    pending=self.plan.pending,
                    events=self.plan.events,
                    now=utcnow(),
                    file=file_ask(info) if self.plan.file else None,
                    contacts=self.plan.contacts,
                )
            return self._found

    async def counts(self, info: Info) -> dict[Service, int] | None:
        """The counts since the last visit if the plan fetched them."""
        return (await self.summary(info)).counts if self.plan.counts else None

    async def events(self, info: Info, key: EventsKey) -> EventsPage | None:
        """The events page if the plan fetched this one."""
        return (await self.summary(info)).events if self.plan.events == key else None

    async def unread(self, info: Info) -> int | None:
        """The unread count if the plan asked for it (0 without a reader, as the field)."""
        if not self.plan.unread:
            return None
        return (await self.summary(info)).unread or 0

    async def pending(self, info: Info) -> int | None:
        return (await self.summary(info)).pending if self.plan.pending else None

    async def file(self, info: Info) -> FileSummary | None:
        """The unemployment file if the plan fetched it."""
        return (await self.summary(info)).file if self.plan.file else None

    async def contacts(self, info: Info) -> list[DossierContact] | None:
        """The dossiers' contacts (for the actions) if the plan fetched them."""
        return (await self.summary(info)).contacts if self.plan.contacts else None


def dashboard_prefetch(
    info: Info, account_id: int, since: datetime | None, kind: str
) -> DashboardPrefetch | None:
    plan = dashboard_plan(info, kind)
    return DashboardPrefetch(account_id, since, plan) if plan is not None else None


async def file_alone(
    info: Info, account_id: int, contacts: bool
) -> tuple[FileSummary | None, list[DossierContact] | None]:
    """The file (and the dossiers' contacts) without a look-ahead: one statement too."""
    found = await dashboard_summary(
        info.context.read_session(),
        account_id,
        since=None,
        counts=False,
        reader=None,
        pending=False,
        events=None,
        now=utcnow(),
        file=file_ask(info),
        contacts=contacts,
    )
    return found.file, found.contacts
