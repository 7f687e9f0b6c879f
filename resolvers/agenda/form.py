"""The appointment form an adviser fills in, checked field by field (all errors at once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from models.agenda import Modality
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.core.validation import clean_text
from resolvers.offers.checks import clean_multiline

DURATION_MIN = 15
DURATION_MAX = 240
HORIZON = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class AppointmentForm:
    """What an adviser sends; None means "unchanged" on an update."""

    theme: str | None = None
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    modality: Modality | None = None
    address: str | None = None
    link: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class CheckedForm:
    theme: str
    starts_at: datetime
    duration_minutes: int
    modality: Modality
    address: str | None
    link: str | None
    comment: str | None


def check_form(form: AppointmentForm, now: datetime, default_address: str) -> CheckedForm:
    """A complete, valid appointment, or a DomainError listing every field at fault."""
    errors = ErrorCollector()
    theme = clean_text(errors, "theme", form.theme, label="Thème", max_len=200, required=True)
    starts_at = form.starts_at
    if starts_at is None:
        errors.add("startsAt", ErrorCode.REQUIRED, "Indiquez la date et l'heure du rendez-vous.")
    elif starts_at.tzinfo is None:
        errors.add("startsAt", ErrorCode.INVALID_DATE, "Indiquez le fuseau horaire (ISO 8601).")
    elif starts_at <= now:
        errors.add("startsAt", ErrorCode.OUT_OF_RANGE, "Le rendez-vous doit être dans le futur.")
    elif starts_at > now + HORIZON:
        errors.add("startsAt", ErrorCode.OUT_OF_RANGE, "Pas plus d'un an à l'avance.")
    duration = form.duration_minutes
    if duration is None:
        errors.add("durationMinutes", ErrorCode.REQUIRED, "Indiquez la durée du rendez-vous.")
    elif not DURATION_MIN <= duration <= DURATION_MAX:
        errors.add(
            "durationMinutes",
            ErrorCode.OUT_OF_RANGE,
            f"La durée va de {DURATION_MIN} à {DURATION_MAX} minutes.",
        )
    modality = form.modality
    address = clean_text(errors, "address", form.address, label="Adresse", max_len=300)
    link = clean_text(errors, "link", form.link, label="Lien", max_len=500)
    if modality is None:
        errors.add("modality", ErrorCode.REQUIRED, "Choisissez : agence, téléphone ou visio.")
    elif modality == Modality.AGENCE:
        address = address or default_address or None
        if address is None and not errors.has("address"):
            errors.add("address", ErrorCode.REQUIRED, "Indiquez l'adresse du rendez-vous.")
    elif modality == Modality.VISIO:
        if link is None and not errors.has("link"):
            errors.add("link", ErrorCode.REQUIRED, "Indiquez le lien de la visio.")
        elif link is not None and (urlsplit(link).scheme != "https" or not urlsplit(link).netloc):
            errors.add("link", ErrorCode.INVALID_FORMAT, "Le lien doit commencer par https://.")
    comment = None
    if form.comment is not None and form.comment.strip():
        comment = clean_multiline(
            errors, "comment", form.comment, label="Commentaire", max_len=2000
        )
    errors.raise_if_any()
    assert theme and starts_at and duration and modality
    return CheckedForm(
        theme=theme,
        starts_at=starts_at,
        duration_minutes=duration,
        modality=modality,
        address=address if modality == Modality.AGENCE else None,
        link=link if modality == Modality.VISIO else None,
        comment=comment,
    )
