"""Appointments as iCalendar (RFC 5545) with the ``icalendar`` package: one appointment's
``.ics`` file, and the candidat's private feed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from models.agenda import Appointment, AppointmentStatus, Modality, Workshop
from resolvers.agenda.manage import MODALITY_LABELS

PRODID = "-//Espace Candidat//Agenda//FR"


def _event(row: Appointment, host: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"rdv-{row.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", row.starts_at)
    event.add("dtend", row.starts_at + timedelta(minutes=row.duration_minutes))
    event.add("summary", f"Rendez-vous France Travail : {row.theme}")
    lines = [f"Avec {row.adviser_name}, {MODALITY_LABELS[Modality(row.modality)]}."]
    if row.link:
        lines.append(f"Lien de la visio : {row.link}")
    if row.comment:
        lines.append(row.comment)
    event.add("description", "\n".join(lines))
    if row.address:
        event.add("location", row.address)
    elif row.link:
        event.add("location", row.link)
    event.add("status", "CANCELLED" if row.status == AppointmentStatus.CANCELLED else "CONFIRMED")
    event.add("sequence", int(row.updated_at.timestamp()) % 2**31)
    return event


def _workshop(row: Workshop, host: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"atelier-{row.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", row.starts_at)
    event.add("dtend", row.starts_at + timedelta(minutes=row.duration_minutes))
    event.add("summary", f"Événement France Travail : {row.title}")
    if row.description:
        event.add("description", row.description)
    event.add("location", row.address)
    event.add("status", "CONFIRMED")
    return event


def calendar(
    rows: Iterable[Appointment | Workshop], public_url: str, stamp: datetime, name: str
) -> bytes:
    """A VCALENDAR holding one VEVENT per appointment or workshop."""
    host = urlsplit(public_url).hostname or "localhost"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for row in rows:
        if isinstance(row, Workshop):
            cal.add_component(_workshop(row, host, stamp))
        else:
            cal.add_component(_event(row, host, stamp))
    return bytes(cal.to_ical())
