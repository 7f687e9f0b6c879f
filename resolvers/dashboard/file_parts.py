"""« Mon dossier de demandeur d'emploi » on the tableau de bord, as parts of the dashboard's one
statement (``resolvers.dashboard.summary``).

The section reads the registration, the declaration windows around now and whether each month
was declared, the last declaration, the last payment made, the unread letters, the next
appointment and what is due (an appointment to confirm, a document to send). Every part is
either a scalar subquery of the one summary row, or a one-row derived table (``… ORDER BY …
LIMIT 1``) LEFT JOINed to it ON true: no LATERAL, so SQLite and PostgreSQL run the same SQL,
and every part is filtered on the dashboard's own account (bound once as ``account_id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Subquery,
    and_,
    bindparam,
    exists,
    func,
    select,
)
from sqlalchemy.orm import aliased

from models.actualisation import Actualisation, ActualisationWindow, SupportingDocument
from models.agenda import Appointment, AppointmentStatus
from models.base import UTCDateTime
from models.indemnisation import Payment, PaymentStatus
from models.letters import Letter, LetterKind
from models.registration import Registration
from resolvers.actualisation.windows import current_or_next, default_bounds, periods_around

NEARBY = 3  # the months around now whose window may be open or next (periods_around)
# The columns of the summary row, in this order (then the four one-row entities).
SCALARS = (
    *(f"opens_{i}" for i in range(NEARBY)),
    *(f"closes_{i}" for i in range(NEARBY)),
    *(f"declared_{i}" for i in range(NEARBY)),
    "unread_letters",
    "to_confirm",
    "refused_docs",
    "refused_doc_id",
    "refused_doc_code",
    "request_letter_id",
    "request_letter_at",
    "last_doc_at",
)
ENTITIES = ("registration", "last_actualisation", "last_payment", "next_appointment")
UPCOMING = (
    AppointmentStatus.SCHEDULED.value,
    AppointmentStatus.CONFIRMED.value,
    AppointmentStatus.RESCHEDULE_REQUESTED.value,
)


@dataclass(frozen=True, slots=True)
class WindowState:
    """The window open now, else the next one, and whether its month is declared."""

    window: ActualisationWindow
    declared: bool
    is_open: bool


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What the section shows and what « Mes actions » needs of the file."""

    registration: Registration | None
    window: WindowState | None  # None unless registered (INSCRIT)
    last_actualisation: Actualisation | None
    last_payment: Payment | None
    unread_letters: int
    next_appointment: Appointment | None
    to_confirm: int  # SCHEDULED appointments the candidat may still confirm
    first_to_confirm: Appointment | None
    refused_docs: int  # refused documents not sent again since
    refused_doc: tuple[int, str] | None  # the latest of them: id, code
    document_request: tuple[int, datetime] | None  # a DEMANDE_PIECES letter not answered yet


def _periods(n: int) -> list[BindParameter[date]]:
    return [bindparam(f"file_period_{i}") for i in range(n)]


def scalar_columns(account: BindParameter[int]) -> list[ColumnElement[Any]]:
    """The section's scalar columns of the summary row, labelled as in ``SCALARS``."""
    periods = _periods(NEARBY)
    confirm_from = bindparam("file_confirm_from", type_=UTCDateTime())
    cols: list[ColumnElement[Any]] = []
    for bound in ("opens_at", "closes_at"):
        column = getattr(ActualisationWindow, bound)
        for i, period in enumerate(periods):
            sub = select(column).where(ActualisationWindow.period == period)
            cols.append(sub.scalar_subquery().label(f"{bound.removesuffix('_at')}_{i}"))
    for i, period in enumerate(periods):
        mine = and_(Actualisation.account_id == account, Actualisation.period == period)
        cols.append(exists().where(mine).label(f"declared_{i}"))
    unread = select(func.count(Letter.id)).where(
        Letter.account_id == account, Letter.read_at.is_(None)
    )
    cols.append(unread.scalar_subquery().label("unread_letters"))
    waiting = _to_confirm(account, confirm_from)
    cols.append(select(func.count()).select_from(waiting).scalar_subquery().label("to_confirm"))
    refused = _refused_not_resent(account)
    cols.append(select(func.count()).select_from(refused).scalar_subquery().label("refused_docs"))
    latest = select(refused.c.id, refused.c.code).order_by(refused.c.id.desc()).limit(1)
    cols.append(latest.with_only_columns(refused.c.id).scalar_subquery().label("refused_doc_id"))
    cols.append(
        latest.with_only_columns(refused.c.code).scalar_subquery().label("refused_doc_code")
    )
    request = (
        select(Letter.id)
        .where(Letter.account_id == account, Letter.kind == LetterKind.DEMANDE_PIECES.value)
        .order_by(Letter.id.desc())
        .limit(1)
    )
    cols.append(request.scalar_subquery().label("request_letter_id"))
    cols.append(
        request.with_only_columns(Letter.created_at).scalar_subquery().label("request_letter_at")
    )
    last_doc = select(func.max(SupportingDocument.created_at)).where(
        SupportingDocument.account_id == account
    )
    cols.append(last_doc.scalar_subquery().label("last_doc_at"))
    return cols


def _to_confirm(account: BindParameter[int], confirm_from: BindParameter[datetime]) -> Subquery:
    return (
        select(Appointment.id, Appointment.starts_at)
        .where(
            Appointment.account_id == account,
            Appointment.status == AppointmentStatus.SCHEDULED.value,
            Appointment.starts_at >= confirm_from,
        )
        .subquery("to_confirm")
    )


def _refused_not_resent(account: BindParameter[int]) -> Subquery:
    """Refused documents with no document of the same code and month sent after them."""
    later = aliased(SupportingDocument)
    resent = exists().where(
        later.account_id == SupportingDocument.account_id,
        later.code == SupportingDocument.code,
        later.period.is_not_distinct_from(SupportingDocument.period),
        later.id > SupportingDocument.id,
    )
    return (
        select(SupportingDocument.id, SupportingDocument.code)
        .where(
            SupportingDocument.account_id == account,
            SupportingDocument.status == "REFUSED",
            ~resent,
        )
        .subquery("refused")
    )


def one_row_parts(account: BindParameter[int]) -> list[Subquery]:
    """The one-row derived tables, in the order of ``ENTITIES`` then the first appointment to
    confirm; the summary LEFT JOINs each ON true."""
    now = bindparam("file_now", type_=UTCDateTime())
    confirm_from = bindparam("file_confirm_from", type_=UTCDateTime())
    registration = select(Registration).where(Registration.account_id == account)
    last_actualisation = (
        select(Actualisation)
        .where(Actualisation.account_id == account)
        .order_by(Actualisation.period.desc())
        .limit(1)
    )
    last_payment = (
        select(Payment)
        .where(Payment.account_id == account, Payment.status == PaymentStatus.PAID.value)
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
        .limit(1)
    )
    upcoming = select(Appointment).where(
        Appointment.account_id == account, Appointment.status.in_(UPCOMING)
    )
    next_appointment = (
        upcoming.where(Appointment.starts_at >= now)
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(1)
    )
    first_to_confirm = (
        select(Appointment)
        .where(
            Appointment.account_id == account,
            Appointment.status == AppointmentStatus.SCHEDULED.value,
            Appointment.starts_at >= confirm_from,
        )
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(1)
    )
    parts: list[Select[Any]] = [
        registration,
        last_actualisation,
        last_payment,
        next_appointment,
        first_to_confirm,
    ]
    names = (*ENTITIES, "first_to_confirm")
    return [p.subquery(f"file_{n}") for p, n in zip(parts, names, strict=True)]


ENTITY_MODELS = (Registration, Actualisation, Payment, Appointment, Appointment)


def file_params(now: datetime, confirm_notice: timedelta) -> dict[str, Any]:
    """The bound values of the section's parts at ``now``."""
    params: dict[str, Any] = {"file_now": now, "file_confirm_from": now + confirm_notice}
    for i, period in enumerate(periods_around(now)):
        params[f"file_period_{i}"] = period
    return params


def read_file(values: Sequence[Any], entities: Sequence[Any], now: datetime) -> FileSummary:
    """The section from the summary row: its ``SCALARS`` then its one-row entities."""
    found = dict(zip(SCALARS, values, strict=True))
    registration, last_act, last_pay, next_appt, first_confirm = entities
    window = None
    if registration is not None and registration.state == "INSCRIT":
        window = _window_state(found, now, registration.registered_on)
    refused = int(found["refused_docs"] or 0)
    request = None
    if found["request_letter_id"] is not None:
        asked_at: datetime = found["request_letter_at"]
        last_doc: datetime | None = found["last_doc_at"]
        if last_doc is None or last_doc < asked_at:
            request = (int(found["request_letter_id"]), asked_at)
    return FileSummary(
        registration=registration,
        window=window,
        last_actualisation=last_act,
        last_payment=last_pay,
        unread_letters=int(found["unread_letters"] or 0),
        next_appointment=next_appt,
        to_confirm=int(found["to_confirm"] or 0),
        first_to_confirm=first_confirm,
        refused_docs=refused,
        refused_doc=(int(found["refused_doc_id"]), str(found["refused_doc_code"]))
        if refused
        else None,
        document_request=request,
    )


def _window_state(found: dict[str, Any], now: datetime, registered_on: date) -> WindowState | None:
    """As ``viewer.actualisationWindow``: the table's windows, else the default rule's."""
    candidates: list[ActualisationWindow] = []
    declared: dict[date, bool] = {}
    for i, period in enumerate(periods_around(now)):
        opens_at, closes_at = found[f"opens_{i}"], found[f"closes_{i}"]
        if opens_at is None or closes_at is None:
            opens_at, closes_at = default_bounds(period)
        candidates.append(
            ActualisationWindow(period=period, opens_at=opens_at, closes_at=closes_at)
        )
        declared[period] = bool(found[f"declared_{i}"])
    window = current_or_next(candidates, now, registered_on)
    if window is None:
        return None
    is_open = window.opens_at <= now < window.closes_at
    return WindowState(window, declared[window.period], is_open)
