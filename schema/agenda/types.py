"""GraphQL types of the agenda: ``Appointment`` and the ``viewer.agenda`` connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Annotated

import strawberry
from strawberry import relay

from models.agenda import Appointment as AppointmentModel
from models.agenda import AppointmentStatus, Modality
from resolvers.agenda import reads
from resolvers.agenda.manage import change_notice
from resolvers.agenda.reads import agenda_key
from schema.agenda.cursors import decode_agenda_cursor, encode_key
from schema.agenda.workshops import Workshop
from schema.core.base import described_enum, page_size
from schema.core.context import Info
from schema.core.ids import database_id

ModalityEnum = described_enum(
    Modality,
    "AppointmentModality",
    "How an appointment takes place.",
    {
        Modality.AGENCE: "En agence: at the agency, with its address.",
        Modality.TELEPHONE: "Téléphone: by phone.",
        Modality.VISIO: "Visio: by video call, with a link.",
    },
)
AppointmentStatusEnum = described_enum(
    AppointmentStatus,
    "AppointmentStatus",
    "Where an appointment stands.",
    {
        AppointmentStatus.SCHEDULED: "Scheduled by the adviser.",
        AppointmentStatus.CONFIRMED: "Confirmed by the candidat.",
        AppointmentStatus.RESCHEDULE_REQUESTED: "The candidat asked for another time (with a "
        "note).",
        AppointmentStatus.CANCELLED: "Cancelled.",
    },
)

ICS_PATH = "/agenda/rendez-vous/{id}.ics"


@strawberry.type(
    description="An appointment (rendez-vous) with an adviser: seen by the candidat and by the "
    "advisers of the candidat's agency, no one else."
)
class Appointment(relay.Node):
    id: relay.NodeID[int]
    theme: str = strawberry.field(description="What it is about.")
    starts_at: datetime = strawberry.field(description="When it starts (UTC).")
    ends_at: datetime = strawberry.field(description="When it ends (UTC).")
    duration_minutes: int = strawberry.field(description="How long it lasts, in minutes.")
    modality: ModalityEnum = strawberry.field(description="Where or how.")  # type: ignore[valid-type]
    address: str | None = strawberry.field(description="The address, for AGENCE.")
    link: str | None = strawberry.field(description="The video link, for VISIO.")
    adviser_name: str = strawberry.field(description="The adviser's name.")
    comment: str | None = strawberry.field(description="The adviser's comment.")
    status: AppointmentStatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    candidat_note: str | None = strawberry.field(
        description="The candidat's note when asking to reschedule."
    )
    cursor: str = strawberry.field(description="Its position in `viewer.agenda`.")
    gid: strawberry.Private[str]

    @strawberry.field(
        description="True while the candidat may still confirm, cancel or ask to reschedule "
        "(not less than 24 h before, and not cancelled)."
    )
    def can_answer(self, info: Info) -> bool:
        runtime = info.context.runtime
        ahead = self.starts_at - runtime.clock.now()
        return self.status != AppointmentStatus.CANCELLED and ahead >= change_notice(runtime)

    @strawberry.field(description="Its `.ics` file (GET with `Authorization: Bearer`).")
    def ics_url(self, info: Info) -> str:
        return str(info.context.settings.link(ICS_PATH.format(id=self.gid)))

    @classmethod
    def from_model(cls, row: AppointmentModel) -> Appointment:
        return cls(
            id=row.id,
            theme=row.theme,
            starts_at=row.starts_at,
            ends_at=row.starts_at + timedelta(minutes=row.duration_minutes),
            duration_minutes=row.duration_minutes,
            modality=Modality(row.modality),
            address=row.address,
            link=row.link,
            adviser_name=row.adviser_name,
            comment=row.comment,
            status=AppointmentStatus(row.status),
            candidat_note=row.candidat_note,
            cursor=encode_agenda_cursor(row),
            gid=str(relay.to_base64("Appointment", row.id)),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Appointment | None]:
        """The appointments the viewer may see; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await reads.appointments_by_ids(info.context.read_session(), viewer.account, ids)
        return [cls.from_model(found[i]) if i in found else None for i in ids]


def encode_agenda_cursor(row: AppointmentModel) -> str:
    return encode_key(agenda_key(row))


AgendaItem = Annotated[
    Appointment | Workshop,
    strawberry.union(
        "AgendaItem", description="An appointment, or a workshop one is registered to."
    ),
]


@strawberry.type(description="« Mon agenda »: a page of appointments and workshops, in time order.")
class AgendaConnection(relay.Connection[AgendaItem]):
    pass


async def viewer_agenda(
    info: Info, first: int | None, after: str | None, upcoming_only: bool
) -> AgendaConnection:
    """``viewer.agenda``: a candidat's appointments and registered workshops, or an
    adviser's agency's appointments."""
    viewer = info.context.viewer
    size = page_size(info, first)
    cursor = decode_agenda_cursor(after)
    since = info.context.runtime.clock.now() if upcoming_only else None
    rows: list[reads.AgendaRow] = []
    has_next = False
    if viewer is not None:
        rows, has_next = await reads.agenda_items(
            info.context.read_session(), viewer.account, cursor, since, size
        )
    edges = [relay.Edge(cursor=encode_key(reads.agenda_key(r)), node=_node(r)) for r in rows]
    return AgendaConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=cursor is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


def _node(row: reads.AgendaRow) -> Appointment | Workshop:
    if isinstance(row, AppointmentModel):
        return Appointment.from_model(row)
    return Workshop.from_model(row, True)
