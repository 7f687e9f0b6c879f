"""GraphQL types of the alerts domain: the alert, its matches, and ``Dossier.alerts``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay

from models.alerts import AlertFrequency
from models.alerts import AlertMatch as AlertMatchModel
from resolvers.alerts import views as alerts_views
from resolvers.alerts.views import AlertView
from resolvers.core.paging import KeysetPage, Window
from resolvers.offers.criteria import OfferCriteria
from schema.core.base import After, First, described_enum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, Before, Last, count_of, paged_connection, window
from schema.offers.criteria import OfferCriteriaView
from schema.offers.types import Offer

AlertFrequencyEnum = described_enum(
    AlertFrequency,
    "AlertFrequency",
    "INSTANT: one mail per new offer; DAILY and WEEKLY: one digest per alert (each offer is "
    "sent once).",
    {
        AlertFrequency.INSTANT: "One mail per new matching offer, as soon as it is published.",
        AlertFrequency.DAILY: "One digest a day, in the morning (7:00 Paris time by default).",
        AlertFrequency.WEEKLY: "One digest a week (Monday at 7:00 Paris time by default).",
    },
)


@strawberry.enum(description="Whether an alert sends mails.")
class AlertStatus(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="Mails are sent.")
    SUSPENDED = strawberry.enum_value(
        "SUSPENDED",
        description="No mail until the dossier's e-mail address is confirmed (again).",
    )


@strawberry.type(description="An offer an alert matched.")
class AlertMatch:
    matched_at: datetime = strawberry.field(description="When the offer matched.")
    sent_at: datetime | None = strawberry.field(
        description="When it was mailed (null: waiting for the next digest)."
    )
    offer_id: strawberry.Private[int]

    @strawberry.field(description="The offer, as it is now (null once no longer published).")
    async def offer(self, info: Info) -> Offer | None:
        row = await info.context.loaders.offer_by_id.load(self.offer_id)
        if row is None or row.status != "PUBLISHED":
            return None
        return Offer.from_model(row)

    @classmethod
    def from_model(cls, row: AlertMatchModel) -> AlertMatch:
        return cls(matched_at=row.matched_at, sent_at=row.sent_at, offer_id=row.offer_id)


@strawberry.type(description="A page of an alert's matches, newest first.")
class AlertMatchConnection(relay.Connection[AlertMatch]):  # type: ignore[type-var]
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


@strawberry.type(description="An abonnement aux offres: criteria whose new offers are mailed.")
class Alert(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name, shown in the mails.")
    frequency: AlertFrequencyEnum = strawberry.field(description="How often it mails.")  # type: ignore[valid-type]
    status: AlertStatus = strawberry.field(
        description="SUSPENDED while the dossier's e-mail is missing or waits for "
        "confirmation (no match, no mail); ACTIVE again once it is confirmed."
    )
    email: str | None = strawberry.field(description="Where its mails go (the dossier's).")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    last_sent_at: datetime | None = strawberry.field(description="When it last mailed.")
    dossier_id: strawberry.Private[int]
    stored: strawberry.Private[OfferCriteria]

    @strawberry.field(description="The criteria.")
    def criteria(self) -> OfferCriteriaView:
        return OfferCriteriaView.from_data(self.stored)

    @strawberry.field(name="dossierId", description="The dossier it belongs to (global ID).")
    def dossier_global_id(self) -> relay.GlobalID:
        return relay.GlobalID("Dossier", str(self.dossier_id))

    @strawberry.field(description="The offers it matched, newest first.")
    async def matches(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> AlertMatchConnection:
        asked = window(info, first, after, last, before)
        loaders = info.context.loaders
        page = await loaders.alert_match_window_by_alert.load((0, self.id, asked))
        count = lambda: loaders.alert_match_count_by_alert.load((0, self.id))  # noqa: E731
        return paged_connection(AlertMatchConnection, page, AlertMatch.from_model, _id, count)

    @classmethod
    def from_view(cls, view: AlertView) -> Alert:
        row = view.alert
        return cls(
            id=row.id,
            name=row.name,
            frequency=AlertFrequency(row.frequency),
            status=AlertStatus.SUSPENDED if view.suspended else AlertStatus.ACTIVE,
            email=view.email,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_sent_at=row.last_sent_at,
            dossier_id=row.dossier_id,
            stored=OfferCriteria.from_json(row.criteria),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Alert | None]:
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await alerts_views.alerts_by_ids(
            info.context.read_session(), viewer.account.id, ids
        )
        return [cls.from_view(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of alerts, oldest first.")
class AlertConnection(relay.Connection[Alert]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def dossier_alerts(
    info: Info, account_id: int, dossier_id: int, asked: Window
) -> AlertConnection:
    """``Dossier.alerts``: one statement for every dossier of the request."""
    loaders = info.context.loaders
    owner = (account_id, dossier_id)
    if asked.forward_only:  # the loader the viewer's prefetch primes
        rows, more = await loaders.alert_page_by_dossier.load((*owner, asked.after, asked.limit))
        page = KeysetPage(list(rows), has_next=more, has_previous=asked.after is not None)
    else:
        page = await loaders.alert_window_by_dossier.load((*owner, asked))
    count = lambda: loaders.alert_count_by_dossier.load(owner)  # noqa: E731
    return paged_connection(AlertConnection, page, Alert.from_view, _alert_id, count)


def _alert_id(view: AlertView) -> int:
    return view.alert.id


def _id(row: AlertMatchModel) -> int:
    return row.id
