"""Appointments: advisers of the candidat's agency schedule, change and cancel them; the
candidat confirms, cancels or asks to reschedule, not less than 24 h before.

Who sees what (``visible``): a candidat their own appointments; an adviser those of their
agency; anyone else nothing (NOT_FOUND, so IDs leak nothing). Every change is one
transaction with its dashboard event (pushed live after commit) and, for the candidat, a mail.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.runtime import Runtime
from models.agenda import Appointment, AppointmentStatus, Modality
from models.dashboard import EventKind
from models.dossiers import Agency
from models.identity import Account, AccountKind
from resolvers.agenda.form import AppointmentForm, CheckedForm, check_form
from resolvers.core.candidats import candidat_of_agency, require_adviser
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.pdf import french_date
from resolvers.dashboard.events import record_event
from resolvers.identity.fields import notice_addresses
from resolvers.offers.checks import clean_multiline

PARIS = ZoneInfo("Europe/Paris")
MODALITY_LABELS = {
    Modality.AGENCE: "à l'agence",
    Modality.TELEPHONE: "par téléphone",
    Modality.VISIO: "en visio",
}
OPEN = (AppointmentStatus.SCHEDULED.value, AppointmentStatus.CONFIRMED.value)


def change_notice(runtime: Runtime) -> timedelta:
    """How long before an appointment the candidat may still answer it (24 h by default)."""
    return timedelta(hours=runtime.settings.agenda_change_notice_hours)


def visible(account: Account) -> ColumnElement[bool]:
    """SQL: the appointments ``account`` may see."""
    if account.kind == AccountKind.CANDIDAT:
        return Appointment.account_id == account.id
    if account.kind == AccountKind.CONSEILLER and account.agency_id is not None:
        return Appointment.agency_id == account.agency_id
    return false()


def not_found() -> DomainError:
    return DomainError.single("id", ErrorCode.NOT_FOUND, "Ce rendez-vous est introuvable.")


async def visible_appointment(
    session: AsyncSession, account: Account, appointment_id: int
) -> Appointment:
    found = await session.scalar(
        select(Appointment)
        .where(Appointment.id == appointment_id, visible(account))
        .with_for_update()
    )
    if found is None:
        raise not_found()
    return found


def when_label(starts_at: datetime) -> str:
    """« le 12 décembre 2026 à 10 h 00 (heure de Paris) »."""
    local = starts_at.astimezone(PARIS)
    return f"le {french_date(local.date())} à {local:%H} h {local:%M} (heure de Paris)"


async def _tell_candidat(
    session: AsyncSession,
    runtime: Runtime,
    row: Appointment,
    kind: EventKind,
    heading: str,
) -> None:
    """The dashboard event (live) and the mail of a change."""
    await record_event(
        session,
        row.account_id,
        kind,
        {"name": row.theme, "status": row.status, "startsAt": row.starts_at.isoformat()},
        subject_type="appointment",
        subject_id=row.id,
    )
    account = await session.get(Account, row.account_id)
    if account is None:
        return
    for address in await notice_addresses(session, account):
        await runtime.mailer.enqueue(
            session,
            to=address,
            template="appointment_notice",
            context={
                "heading": heading,
                "theme": row.theme,
                "when": when_label(row.starts_at),
                "duration": row.duration_minutes,
                "modality": MODALITY_LABELS[Modality(row.modality)],
                "address": row.address,
                "visio_link": row.link,
                "adviser": row.adviser_name,
                "cancelled": row.status == AppointmentStatus.CANCELLED,
            },
        )


async def schedule(
    session: AsyncSession,
    runtime: Runtime,
    adviser: Account,
    identifiant: str | None,
    form: AppointmentForm,
) -> Appointment:
    """An adviser schedules an appointment with a candidat of their agency."""
    now = runtime.clock.now()
    account, _ = await candidat_of_agency(session, adviser, identifiant)
    agency = await session.get(Agency, adviser.agency_id)
    default_address = f"{agency.name}, {agency.address} {agency.postal_code}" if agency else ""
    checked = check_form(form, now, default_address.strip(", "))
    row = Appointment(
        account_id=account.id,
        agency_id=adviser.agency_id,
        adviser_id=adviser.id,
        adviser_name=adviser.display_name or "Votre conseiller",
        theme=checked.theme,
        starts_at=checked.starts_at,
        duration_minutes=checked.duration_minutes,
        modality=checked.modality.value,
        address=checked.address,
        link=checked.link,
        comment=checked.comment,
        status=AppointmentStatus.SCHEDULED.value,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    await _tell_candidat(
        session, runtime, row, EventKind.APPOINTMENT_SCHEDULED, "Un rendez-vous vous est fixé"
    )
    return row


async def update(
    session: AsyncSession,
    runtime: Runtime,
    adviser: Account,
    appointment_id: int,
    form: AppointmentForm,
) -> Appointment:
    """An adviser changes an appointment of their agency; what is not given stays. A new
    time asks the candidat to confirm again and re-arms the reminder."""
    require_adviser(adviser)
    now = runtime.clock.now()
    row = await visible_appointment(session, adviser, appointment_id)
    if row.status == AppointmentStatus.CANCELLED:
        raise DomainError.single("id", ErrorCode.INVALID_TRANSITION, "Ce rendez-vous est annulé.")
    merged = AppointmentForm(
        theme=form.theme if form.theme is not None else row.theme,
        starts_at=form.starts_at or row.starts_at,
        duration_minutes=form.duration_minutes or row.duration_minutes,
        modality=form.modality or Modality(row.modality),
        address=form.address if form.address is not None else row.address,
        link=form.link if form.link is not None else row.link,
        comment=form.comment if form.comment is not None else row.comment,
    )
    checked = check_form(merged, now, row.address or "")
    moved = checked.starts_at != row.starts_at
    for name, value in _fields(checked):
        setattr(row, name, value)
    if moved:
        row.status = AppointmentStatus.SCHEDULED.value
        row.reminded_at = None
    row.updated_at = now
    await session.flush()
    await _tell_candidat(
        session, runtime, row, EventKind.APPOINTMENT_CHANGED, "Votre rendez-vous a changé"
    )
    return row


def _fields(checked: CheckedForm) -> list[tuple[str, object]]:
    values = [(f.name, getattr(checked, f.name)) for f in fields(checked)]
    return [(n, v.value if isinstance(v, Modality) else v) for n, v in values]


async def adviser_cancel(
    session: AsyncSession, runtime: Runtime, adviser: Account, appointment_id: int
) -> Appointment:
    """An adviser cancels an appointment of their agency (at any time)."""
    require_adviser(adviser)
    row = await visible_appointment(session, adviser, appointment_id)
    if row.status == AppointmentStatus.CANCELLED:
        raise DomainError.single(
            "id", ErrorCode.INVALID_TRANSITION, "Ce rendez-vous est déjà annulé."
        )
    row.status = AppointmentStatus.CANCELLED.value
    row.updated_at = runtime.clock.now()
    await session.flush()
    await _tell_candidat(
        session, runtime, row, EventKind.APPOINTMENT_CHANGED, "Votre rendez-vous est annulé"
    )
    return row


async def candidat_answer(
    session: AsyncSession,
    runtime: Runtime,
    account: Account,
    appointment_id: int,
    status: AppointmentStatus,
    note: str | None = None,
) -> Appointment:
    """The candidat confirms, cancels or asks to reschedule (with a note), up to 24 h before."""
    if account.kind != AccountKind.CANDIDAT:
        raise not_found()
    now = runtime.clock.now()
    row = await visible_appointment(session, account, appointment_id)
    if row.status not in (*OPEN, AppointmentStatus.RESCHEDULE_REQUESTED.value):
        raise DomainError.single("id", ErrorCode.INVALID_TRANSITION, "Ce rendez-vous est annulé.")
    if row.starts_at - now < change_notice(runtime):
        raise DomainError.single(
            "id",
            ErrorCode.DEADLINE_PASSED,
            "Le rendez-vous est trop proche : contactez directement votre agence.",
        )
    if status == AppointmentStatus.RESCHEDULE_REQUESTED:
        errors = ErrorCollector()
        row.candidat_note = clean_multiline(
            errors, "note", note, label="Vos disponibilités", max_len=1000
        )
        errors.raise_if_any()
    row.status = status.value
    row.updated_at = now
    await session.flush()
    await record_event(
        session,
        row.account_id,
        EventKind.APPOINTMENT_CHANGED,
        {"name": row.theme, "status": row.status, "startsAt": row.starts_at.isoformat()},
        subject_type="appointment",
        subject_id=row.id,
    )
    return row


async def cancel(
    session: AsyncSession, runtime: Runtime, account: Account, appointment_id: int
) -> Appointment:
    """Cancel: an adviser of the agency at any time, the candidat up to 24 h before."""
    if account.kind == AccountKind.CONSEILLER:
        return await adviser_cancel(session, runtime, account, appointment_id)
    return await candidat_answer(
        session, runtime, account, appointment_id, AppointmentStatus.CANCELLED
    )
