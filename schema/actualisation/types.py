"""GraphQL types of the monthly declaration: the window, the declaration (a Node, with its
receipt and versions) and ``viewer.actualisations``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import strawberry
from strawberry import relay

from models.actualisation import Actualisation as ActualisationModel
from models.actualisation import ActualisationVersion as VersionModel
from models.actualisation import ActualisationWindow as WindowModel
from models.identity import AccountKind
from resolvers.actualisation import receipt, submit, windows
from resolvers.actualisation.answers import StopReason
from resolvers.actualisation.submit import MAX_VERSIONS_SHOWN
from resolvers.core.paging import Window, count_rows, keyset_page
from resolvers.registration.manage import registration_of
from schema.actualisation.inputs import StopReasonEnum
from schema.core.context import Info
from schema.core.ids import database_id
from schema.core.paging import TOTAL_COUNT, count_of, empty_page, paged_connection

PARIS = windows.PARIS


@strawberry.type(description="A month's declaration window (Paris time).")
class ActualisationWindow:
    period: date = strawberry.field(description="The month declared (its first day).")
    period_label: str = strawberry.field(description="The month in French, « septembre 2026 ».")
    opens_at: datetime = strawberry.field(description="When it opens (UTC).")
    closes_at: datetime = strawberry.field(description="When it has closed (UTC, exclusive).")
    opens_on: date = strawberry.field(description="First day (Paris).")
    closes_on: date = strawberry.field(description="Last day (Paris).")
    is_open: bool = strawberry.field(description="Whether one can declare now.")
    sentence: str = strawberry.field(
        description="« Je m'actualise du 28 septembre au 15 octobre », for the dashboard."
    )
    declared: bool = strawberry.field(description="Whether the viewer has declared this month.")

    @classmethod
    def from_model(cls, row: WindowModel, now: datetime, declared: bool) -> ActualisationWindow:
        last = row.closes_at - timedelta(seconds=1)
        return cls(
            period=row.period,
            period_label=windows.period_label(row.period),
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            opens_on=row.opens_at.astimezone(PARIS).date(),
            closes_on=last.astimezone(PARIS).date(),
            is_open=row.opens_at <= now < row.closes_at,
            sentence=windows.window_sentence(row),
            declared=declared,
        )


@strawberry.type(description="One employer of the month, as declared.")
class ActualisationEmployer:
    name: str = strawberry.field(description="The employer's name.")
    hours: int = strawberry.field(description="Hours worked.")
    gross_pay_cents: int = strawberry.field(description="Gross pay, in cents of euro.")
    gross_pay: str = strawberry.field(description="Gross pay the French way, « 600,00 € ».")
    contract_ended: bool = strawberry.field(description="Whether the contract ended.")


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@strawberry.type(description="The seven statements, as declared.")
class ActualisationAnswers:
    still_looking: bool = strawberry.field(description="1. Still looking for work.")
    stop_date: date | None = strawberry.field(description="1. If not: since when.")
    stop_reason: StopReasonEnum | None = strawberry.field(description="1. If not: why.")  # type: ignore[valid-type]
    worked: bool = strawberry.field(description="2. Worked this month.")
    employers: list[ActualisationEmployer] = strawberry.field(description="2. The employers.")
    training_start: date | None = strawberry.field(description="3. Training: first day.")
    training_end: date | None = strawberry.field(description="3. Training: last day.")
    sick_start: date | None = strawberry.field(description="4. Sick leave: first day.")
    sick_end: date | None = strawberry.field(description="4. Sick leave: last day.")
    maternity_date: date | None = strawberry.field(description="5. Maternity/paternity leave.")
    retirement_date: date | None = strawberry.field(description="6. Retirement pension.")
    invalidity_date: date | None = strawberry.field(description="7. Invalidity pension.")

    @classmethod
    def from_json(cls, a: dict[str, Any]) -> ActualisationAnswers:
        training, sick = a.get("training") or {}, a.get("sick") or {}
        return cls(
            still_looking=bool(a.get("stillLooking")),
            stop_date=_day(a.get("stopDate")),
            stop_reason=StopReason(a["stopReason"]) if a.get("stopReason") else None,
            worked=bool(a.get("worked")),
            employers=[
                ActualisationEmployer(
                    name=e["name"],
                    hours=e["hours"],
                    gross_pay_cents=e["grossPayCents"],
                    gross_pay=receipt.euros(e["grossPayCents"]).replace("EUR", "€"),
                    contract_ended=bool(e.get("contractEnded")),
                )
                for e in a.get("employers") or []
            ],
            training_start=_day(training.get("start")),
            training_end=_day(training.get("end")),
            sick_start=_day(sick.get("start")),
            sick_end=_day(sick.get("end")),
            maternity_date=_day(a.get("maternity")),
            retirement_date=_day(a.get("retirement")),
            invalidity_date=_day(a.get("invalidity")),
        )


@strawberry.type(description="One version of a declaration (the first, then each correction).")
class ActualisationVersion:
    version: int = strawberry.field(description="1 for the first, then 2, 3…")
    submitted_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    answers: ActualisationAnswers = strawberry.field(description="What it said.")

    @classmethod
    def from_model(cls, row: VersionModel) -> ActualisationVersion:
        return cls(
            version=row.version,
            submitted_at=row.submitted_at,
            answers=ActualisationAnswers.from_json(row.answers),
        )


RECEIPT_PATH = "/actualisations/{id}/recu.pdf"


@strawberry.type(
    description="A monthly declaration (actualisation), as last corrected; its owner only."
)
class Actualisation(relay.Node):
    id: relay.NodeID[int]
    period: date = strawberry.field(description="The month declared (its first day).")
    period_label: str = strawberry.field(description="« septembre 2026 ».")
    number: str = strawberry.field(description="The receipt number of the latest version.")
    version: int = strawberry.field(description="1, then one more for each correction.")
    first_submitted_at: datetime = strawberry.field(description="First recorded (UTC).")
    submitted_at: datetime = strawberry.field(description="Latest version recorded (UTC).")
    registered_sentence: str = strawberry.field(
        description="« Déclaration enregistrée le 29/09/2026 à 10:15 » (Paris time)."
    )
    answers: ActualisationAnswers = strawberry.field(description="The statements, as corrected.")
    row: strawberry.Private[ActualisationModel]

    @strawberry.field(
        description="Where to download the receipt (PDF), with the same bearer token."
    )
    def receipt_url(self) -> str:
        return RECEIPT_PATH.format(id=relay.to_base64("Actualisation", self.id))

    @strawberry.field(
        description=f"Every version, oldest first (the latest {MAX_VERSIONS_SHOWN} at most)."
    )
    async def versions(self, info: Info) -> list[ActualisationVersion]:
        found = await info.context.loaders.versions_by_actualisation_id.load(self.id)
        return [ActualisationVersion.from_model(v) for v in found[-MAX_VERSIONS_SHOWN:]]

    @classmethod
    def from_model(cls, row: ActualisationModel) -> Actualisation:
        return cls(
            id=row.id,
            period=row.period,
            period_label=windows.period_label(row.period),
            number=row.number,
            version=row.version,
            first_submitted_at=row.first_submitted_at,
            submitted_at=row.submitted_at,
            registered_sentence=receipt.registered_sentence(row.submitted_at),
            answers=ActualisationAnswers.from_json(row.answers),
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Actualisation | None]:
        """The viewer's own declarations; others are not found."""
        ids = [database_id(i) or 0 for i in node_ids]
        viewer = info.context.viewer
        if viewer is None:
            return [None for _ in ids]
        found = await submit.actualisations_by_ids(
            info.context.read_session(), viewer.account.id, ids
        )
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="A page of declarations, newest month first.")
class ActualisationConnection(relay.Connection[Actualisation]):
    @strawberry.field(description=TOTAL_COUNT)
    async def total_count(self) -> int:
        return await count_of(self)


async def viewer_actualisations(
    info: Info, account_id: int, kind: str, asked: Window
) -> ActualisationConnection:
    """``viewer.actualisations`` (« Consulter les périodes d'actualisation »)."""
    if kind != AccountKind.CANDIDAT:
        return paged_connection(
            ActualisationConnection, empty_page(), Actualisation.from_model, key=lambda r: r.id
        )
    session = info.context.read_session()
    stmt = submit.actualisations_select(account_id)
    key = ActualisationModel.id
    page = await keyset_page(session, stmt, key, True, asked)
    return paged_connection(
        ActualisationConnection,
        page,
        Actualisation.from_model,
        key=lambda r: r.id,
        count=lambda: count_rows(session, stmt),
    )


async def viewer_window(info: Info, account_id: int, kind: str) -> ActualisationWindow | None:
    """``viewer.actualisationWindow``: the open window, else the next; null for non-candidats."""
    if kind != AccountKind.CANDIDAT:
        return None
    now = info.context.runtime.clock.now()
    session = info.context.read_session()
    found = await windows.windows_for(session, windows.periods_around(now))
    registration = await registration_of(session, account_id)
    registered_on = registration.registered_on if registration is not None else None
    window = windows.current_or_next(list(found.values()), now, registered_on)
    if window is None:
        return None
    declared = await submit.has_declared(session, account_id, window.period)
    return ActualisationWindow.from_model(window, now, declared)
