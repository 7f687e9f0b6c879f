"""Abonnements aux offres (alerts): saved criteria whose new offers are mailed.

``Dossier.alerts`` lists a dossier's alerts (``schema.alerts.types``); ``alertPreview``
counts what criteria would have matched over the last 7 days; ``alertCreate``/``alertUpdate``/
``alertDelete`` manage them and ``alertEmailUpdate`` is « Modifier mon courriel
d'abonnement ».
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from models.alerts import AlertFrequency
from models.base import utcnow
from resolvers.alerts import manage as alerts
from resolvers.alerts import views as alerts_views
from resolvers.alerts.views import AlertView
from resolvers.identity.sessions import Viewer
from schema.alerts.types import Alert, AlertFrequencyEnum
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.runner import refusable, run_mutation
from schema.dossiers.types import Dossier
from schema.offers.criteria import OfferSearchCriteria

UNSET = strawberry.UNSET


@strawberry.type(description="How many offers criteria would have matched lately.")
class AlertPreview:
    count: int | None = strawberry.field(
        description="Published offers matching over the last 7 days (null if refused)."
    )
    since: datetime | None = strawberry.field(description="The start of those 7 days.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.input(description="A new alert on a dossier whose e-mail is confirmed.")
class AlertCreateInput:
    dossier_id: strawberry.ID = strawberry.field(description="The dossier's global ID.")
    name: str = strawberry.field(description="A name (60 max), shown in the mails.")
    criteria: OfferSearchCriteria = strawberry.field(
        description="The criteria (publishedSinceDays is ignored: new offers are sent)."
    )
    frequency: AlertFrequencyEnum = strawberry.field(description="How often to mail.")  # type: ignore[valid-type]


@strawberry.input(description="Changes to an alert: omitted fields stay.")
class AlertUpdateInput:
    id: strawberry.ID = strawberry.field(description="The alert's global ID.")
    name: str | None = strawberry.field(default=UNSET, description="A new name.")
    criteria: OfferSearchCriteria | None = strawberry.field(
        default=UNSET, description="New criteria (replace the old ones)."
    )
    frequency: AlertFrequencyEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=UNSET, description="A new frequency."
    )


@strawberry.input(description="The alert to delete.")
class AlertDeleteInput:
    id: strawberry.ID = strawberry.field(description="The alert's global ID.")


@strawberry.input(description="« Modifier mon courriel d'abonnement ».")
class AlertEmailUpdateInput:
    dossier_id: strawberry.ID = strawberry.field(description="The dossier's global ID.")
    email: str = strawberry.field(
        description="The new address; its alerts are suspended until the link of the "
        "confirmation mail sent to it is opened."
    )


@strawberry.type(description="The result of alertCreate and alertUpdate.")
class AlertPayload:
    alert: Alert | None = strawberry.field(description="The alert, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of alertDelete.")
class AlertDeletePayload:
    deleted_alert_id: relay.GlobalID | None = strawberry.field(
        description="The deleted alert's global ID, or null."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of alertEmailUpdate.")
class AlertEmailPayload:
    dossier: Dossier | None = strawberry.field(
        description="The dossier with its new, unconfirmed address (null if refused)."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


def _alert_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Alert") or 0


def _dossier_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Dossier") or 0


def _alert_payload(view: AlertView) -> AlertPayload:
    return AlertPayload(alert=Alert.from_view(view), user_errors=[])


@strawberry.type
class Query:
    @strawberry.field(
        description="How many published offers these criteria would have matched over the "
        "last 7 days: shown before saving an alert."
    )
    async def alert_preview(
        self,
        info: Info,
        criteria: Annotated[
            OfferSearchCriteria,
            strawberry.argument(description="The criteria the alert would have."),
        ],
    ) -> AlertPreview:
        ctx = info.context
        return await refusable(
            AlertPreview,
            lambda: alerts.preview(
                ctx.read_session(), ctx.runtime.refdata, criteria.to_data(), utcnow()
            ),
            lambda found: AlertPreview(count=found.count, since=found.since, user_errors=[]),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Subscribe a dossier to offers (its e-mail must be confirmed: "
        "EMAIL_NOT_CONFIRMED, NO_EMAIL). 20 alerts per dossier."
    )
    async def alert_create(
        self,
        info: Info,
        input: Annotated[
            AlertCreateInput,
            strawberry.argument(
                description="The dossier to subscribe, the alert's name, criteria and frequency."
            ),
        ],
    ) -> AlertPayload:
        refdata = info.context.runtime.refdata

        async def create(session: AsyncSession, viewer: Viewer) -> AlertView:
            row = await alerts.create_alert(
                session,
                refdata,
                viewer.account,
                _dossier_id(input.dossier_id),
                input.name,
                input.criteria.to_data(),
                AlertFrequency(input.frequency),
            )
            return await alerts_views.alert_view(session, row)

        return await run_mutation(info, AlertPayload, create, _alert_payload)

    @strawberry.mutation(description="Rename an alert, replace its criteria or its frequency.")
    async def alert_update(
        self,
        info: Info,
        input: Annotated[
            AlertUpdateInput,
            strawberry.argument(
                description="The alert to change and its new values; omitted fields stay."
            ),
        ],
    ) -> AlertPayload:
        refdata = info.context.runtime.refdata
        changes: dict[str, object] = {}
        if input.name is not UNSET:
            changes["name"] = input.name
        if input.criteria is not UNSET and input.criteria is not None:
            changes["criteria"] = input.criteria.to_data()
        if input.frequency is not UNSET and input.frequency is not None:
            changes["frequency"] = AlertFrequency(input.frequency)

        async def update(session: AsyncSession, viewer: Viewer) -> AlertView:
            alert_id = _alert_id(input.id)
            row = await alerts.update_alert(session, refdata, viewer.account, alert_id, changes)
            return await alerts_views.alert_view(session, row)

        return await run_mutation(info, AlertPayload, update, _alert_payload)

    @strawberry.mutation(description="Delete an alert (its mails stop at once).")
    async def alert_delete(
        self,
        info: Info,
        input: Annotated[
            AlertDeleteInput,
            strawberry.argument(description="The alert to delete."),
        ],
    ) -> AlertDeletePayload:
        return await run_mutation(
            info,
            AlertDeletePayload,
            lambda session, viewer: alerts.delete_alert(
                session, viewer.account, _alert_id(input.id)
            ),
            lambda deleted: AlertDeletePayload(
                deleted_alert_id=relay.GlobalID("Alert", str(deleted)), user_errors=[]
            ),
        )

    @strawberry.mutation(
        description="« Modifier mon courriel d'abonnement »: change the dossier's e-mail; a "
        "confirmation mail goes to the new address and the alerts resume once it is confirmed."
    )
    async def alert_email_update(
        self,
        info: Info,
        input: Annotated[
            AlertEmailUpdateInput,
            strawberry.argument(
                description="The dossier and the new e-mail address for its alerts."
            ),
        ],
    ) -> AlertEmailPayload:
        ctx = info.context
        return await run_mutation(
            info,
            AlertEmailPayload,
            lambda session, viewer: alerts.change_alert_email(
                session, ctx.runtime, viewer.account, _dossier_id(input.dossier_id), input.email
            ),
            lambda row: AlertEmailPayload(dossier=Dossier.from_model(row), user_errors=[]),
        )
