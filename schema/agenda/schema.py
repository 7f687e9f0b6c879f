"""Agenda: advisers schedule, change and cancel appointments; candidats confirm, cancel or
ask to reschedule; the private calendar feed. Lists: ``viewer.agenda``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models.agenda import Appointment as AppointmentModel
from models.agenda import AppointmentStatus, Modality
from resolvers.agenda import feed, manage
from resolvers.agenda.form import AppointmentForm
from schema.agenda.types import Appointment, ModalityEnum
from schema.agenda.workshops import Mutation as WorkshopMutation
from schema.core.base import UserError
from schema.core.context import Info
from schema.core.ids import decode_global_id
from schema.core.runner import run_mutation


def appointment_id(raw: strawberry.ID) -> int:
    return decode_global_id(str(raw), "Appointment") or 0


@strawberry.input(description="An appointment an adviser sets with a candidat of the agency.")
class AppointmentScheduleInput:
    identifiant: str = strawberry.field(
        description="The candidat's identifiant; NOT_FOUND unless registered at the adviser's "
        "agency."
    )
    theme: str = strawberry.field(description="What it is about, up to 200 characters.")
    starts_at: datetime = strawberry.field(
        description="When it starts (ISO 8601 with its offset), in the coming year."
    )
    duration_minutes: int = strawberry.field(description="15 to 240 minutes.")
    modality: ModalityEnum = strawberry.field(description="Where or how.")  # type: ignore[valid-type]
    address: str | None = strawberry.field(
        default=None, description="For AGENCE: the address (the agency's when left out)."
    )
    link: str | None = strawberry.field(
        default=None, description="For VISIO: the https:// link (required)."
    )
    comment: str | None = strawberry.field(
        default=None, description="A comment for the candidat, up to 2,000 characters."
    )


@strawberry.input(description="What an adviser changes in an appointment; null keeps it.")
class AppointmentUpdateInput:
    id: strawberry.ID = strawberry.field(description="The appointment's global ID.")
    theme: str | None = strawberry.field(default=None, description="A new theme.")
    starts_at: datetime | None = strawberry.field(
        default=None, description="A new time: the candidat is asked to confirm again."
    )
    duration_minutes: int | None = strawberry.field(default=None, description="A new duration.")
    modality: ModalityEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="A new modality."
    )
    address: str | None = strawberry.field(default=None, description="A new address.")
    link: str | None = strawberry.field(default=None, description="A new video link.")
    comment: str | None = strawberry.field(default=None, description="A new comment.")


@strawberry.input(description="One appointment, by its global ID.")
class AppointmentInput:
    id: strawberry.ID = strawberry.field(description="The appointment's global ID.")


@strawberry.input(description="The candidat asks for another appointment.")
class AppointmentRescheduleRequestInput:
    id: strawberry.ID = strawberry.field(description="The appointment's global ID.")
    note: str = strawberry.field(
        description="When the candidat is available, 1 to 1,000 characters."
    )


@strawberry.type(description="The result of a change to an appointment.")
class AppointmentPayload:
    appointment: Appointment | None = strawberry.field(description="It, or null if refused.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of calendarFeedCreate.")
class CalendarFeedCreatePayload:
    url: str | None = strawberry.field(
        description="The private feed URL (shown once: keep it secret); null if refused."
    )
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


@strawberry.type(description="The result of calendarFeedRevoke.")
class CalendarFeedRevokePayload:
    revoked: bool | None = strawberry.field(description="True if a feed was active.")
    user_errors: list[UserError] = strawberry.field(description="What was wrong.")


def _done(row: AppointmentModel) -> AppointmentPayload:
    return AppointmentPayload(appointment=Appointment.from_model(row), user_errors=[])


@strawberry.type
class Mutation(WorkshopMutation):
    @strawberry.mutation(
        description="An adviser schedules an appointment with a candidat of the agency; the "
        "candidat sees it live (APPOINTMENT_SCHEDULED) and gets a mail."
    )
    async def appointment_schedule(
        self,
        info: Info,
        input: Annotated[
            AppointmentScheduleInput,
            strawberry.argument(
                description="The candidat, the time, the modality and the theme of the meeting."
            ),
        ],
    ) -> AppointmentPayload:
        runtime = info.context.runtime
        form = _form(input)
        return await run_mutation(
            info,
            AppointmentPayload,
            lambda session, viewer: manage.schedule(
                session, runtime, viewer.account, input.identifiant, form
            ),
            _done,
        )

    @strawberry.mutation(
        description="An adviser of the agency changes an appointment (pushed live as "
        "APPOINTMENT_CHANGED, with a mail)."
    )
    async def appointment_update(
        self,
        info: Info,
        input: Annotated[
            AppointmentUpdateInput,
            strawberry.argument(
                description="The appointment to change and its new time, modality or subject."
            ),
        ],
    ) -> AppointmentPayload:
        runtime = info.context.runtime
        form = _form(input)
        return await run_mutation(
            info,
            AppointmentPayload,
            lambda session, viewer: manage.update(
                session, runtime, viewer.account, appointment_id(input.id), form
            ),
            _done,
        )

    @strawberry.mutation(
        description="Cancel an appointment: an adviser of the agency at any time, the "
        "candidat not less than 24 h before (DEADLINE_PASSED)."
    )
    async def appointment_cancel(
        self,
        info: Info,
        input: Annotated[
            AppointmentInput,
            strawberry.argument(description="The appointment to cancel."),
        ],
    ) -> AppointmentPayload:
        runtime = info.context.runtime

        return await run_mutation(
            info,
            AppointmentPayload,
            lambda session, viewer: manage.cancel(
                session, runtime, viewer.account, appointment_id(input.id)
            ),
            _done,
        )

    @strawberry.mutation(
        description="The candidat confirms they will come (not less than 24 h before)."
    )
    async def appointment_confirm(
        self,
        info: Info,
        input: Annotated[
            AppointmentInput,
            strawberry.argument(description="The appointment the candidat confirms."),
        ],
    ) -> AppointmentPayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            AppointmentPayload,
            lambda session, viewer: manage.candidat_answer(
                session,
                runtime,
                viewer.account,
                appointment_id(input.id),
                AppointmentStatus.CONFIRMED,
            ),
            _done,
        )

    @strawberry.mutation(
        description="The candidat asks for another time, with their availability (not less "
        "than 24 h before)."
    )
    async def appointment_reschedule_request(
        self,
        info: Info,
        input: Annotated[
            AppointmentRescheduleRequestInput,
            strawberry.argument(
                description="The appointment and the candidat's note asking for another time."
            ),
        ],
    ) -> AppointmentPayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            AppointmentPayload,
            lambda session, viewer: manage.candidat_answer(
                session,
                runtime,
                viewer.account,
                appointment_id(input.id),
                AppointmentStatus.RESCHEDULE_REQUESTED,
                input.note,
            ),
            _done,
        )

    @strawberry.mutation(
        description="A new private calendar feed URL for phone calendars (the previous one "
        "stops working). Candidats only."
    )
    async def calendar_feed_create(self, info: Info) -> CalendarFeedCreatePayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            CalendarFeedCreatePayload,
            lambda session, viewer: feed.create_feed(
                session, viewer.account, runtime.settings.secret_key, runtime.clock.now()
            ),
            lambda token: CalendarFeedCreatePayload(
                url=runtime.settings.link(feed.FEED_PATH.format(token=token)), user_errors=[]
            ),
        )

    @strawberry.mutation(description="Stop the private calendar feed.")
    async def calendar_feed_revoke(self, info: Info) -> CalendarFeedRevokePayload:
        runtime = info.context.runtime
        return await run_mutation(
            info,
            CalendarFeedRevokePayload,
            lambda session, viewer: feed.revoke_feeds(session, viewer.account, runtime.clock.now()),
            lambda count: CalendarFeedRevokePayload(revoked=count > 0, user_errors=[]),
        )


def _form(input: AppointmentScheduleInput | AppointmentUpdateInput) -> AppointmentForm:
    """The appointment's fields as the domain takes them (None: unchanged, on an update)."""
    return AppointmentForm(
        theme=input.theme,
        starts_at=input.starts_at,
        duration_minutes=input.duration_minutes,
        modality=Modality(input.modality) if input.modality is not None else None,
        address=input.address,
        link=input.link,
        comment=input.comment,
    )
