"""The form of a change of situation: every field checked at once, in French.

One form for every kind: the fields of another kind are refused (INVALID), so that a
frontend learns at once that it sent the wrong one.

- Dates: a change starts at most one year back and 90 days ahead (DATE_TOO_FAR), ends on or
  after its start (END_BEFORE_START) and lasts at most a year.
- Sick leave, absence and training: start and end dates; they never overlap another sick
  leave, absence or training already declared (OVERLAPPING_PERIOD).
- Work resumed: the first day, the employer, the contract, the weekly hours (1 to 48); a
  fixed-term contract may give its end date.
- Training: the organisme.
- Move: the day of the move and the new address; the commune comes from the postal code
  (the reference data), as in the dossier form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from models.situation import ContractKind, SituationKind
from refdata import ReferenceData
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.core.validation import check_french_locality, clean_text, required_message
from resolvers.situation.rules import MAX_WEEKLY_HOURS, Span

PAST_DAYS = 366
AHEAD_DAYS = 90
LONGEST_DAYS = 366
TEXT_MAX = 200
DATED = (SituationKind.SICK_LEAVE, SituationKind.ABSENCE, SituationKind.TRAINING)
KIND_LABELS = {
    SituationKind.WORK_RESUMED: "Reprise d'emploi",
    SituationKind.SICK_LEAVE: "Arrêt maladie",
    SituationKind.ABSENCE: "Absence",
    SituationKind.TRAINING: "Formation",
    SituationKind.MOVE: "Déménagement",
}
CONTRACT_LABELS = {
    ContractKind.CDI: "CDI",
    ContractKind.CDD: "CDD",
    ContractKind.INTERIM: "mission d'intérim",
    ContractKind.SAISONNIER: "contrat saisonnier",
}
# The fields each kind takes (beyond ``startDate``).
FIELDS: dict[SituationKind, frozenset[str]] = {
    SituationKind.WORK_RESUMED: frozenset({"endDate", "employer", "contractType", "weeklyHours"}),
    SituationKind.SICK_LEAVE: frozenset({"endDate"}),
    SituationKind.ABSENCE: frozenset({"endDate"}),
    SituationKind.TRAINING: frozenset({"endDate", "organisme"}),
    SituationKind.MOVE: frozenset(
        {"adresse", "complementAdresse1", "complementAdresse2", "postalCode", "communeInsee"}
    ),
}


@dataclass(frozen=True, slots=True)
class SituationForm:
    """What the candidat gives (the GraphQL input, as plain values)."""

    kind: SituationKind
    start_date: date | None = None
    end_date: date | None = None
    employer: str | None = None
    contract_type: ContractKind | None = None
    weekly_hours: int | None = None
    organisme: str | None = None
    adresse: str | None = None
    complement_adresse1: str | None = None
    complement_adresse2: str | None = None
    postal_code: str | None = None
    commune_insee: str | None = None

    def given(self) -> dict[str, Any]:
        """The optional fields given, by their GraphQL names."""
        values = {
            "endDate": self.end_date,
            "employer": self.employer,
            "contractType": self.contract_type,
            "weeklyHours": self.weekly_hours,
            "organisme": self.organisme,
            "adresse": self.adresse,
            "complementAdresse1": self.complement_adresse1,
            "complementAdresse2": self.complement_adresse2,
            "postalCode": self.postal_code,
            "communeInsee": self.commune_insee,
        }
        return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Declared:
    """A dated change already declared, for the overlap check."""

    kind: SituationKind
    span: Span


@dataclass(frozen=True, slots=True)
class CheckedChange:
    """The checked values: dates, and the details stored with the change."""

    kind: SituationKind
    start: date
    end: date | None
    details: dict[str, Any]


def fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _check_date(errors: ErrorCollector, field: str, value: date, today: date) -> bool:
    if value < today - timedelta(days=PAST_DAYS):
        errors.add(field, ErrorCode.OUT_OF_RANGE, "Déclarez un changement de moins d'un an.")
        return False
    if value > today + timedelta(days=AHEAD_DAYS):
        errors.add(
            field,
            ErrorCode.DATE_TOO_FAR,
            f"Au plus {AHEAD_DAYS} jours à l'avance : déclarez ce changement plus tard.",
        )
        return False
    return True


def _check_dates(
    errors: ErrorCollector, form: SituationForm, today: date
) -> tuple[date | None, date | None]:
    start, end = form.start_date, form.end_date
    ok_start = start is not None and _check_date(errors, "startDate", start, today)
    if start is None:
        errors.add("startDate", ErrorCode.REQUIRED, required_message("Date de début"))
    if end is None and form.kind in DATED:
        errors.add("endDate", ErrorCode.REQUIRED, required_message("Date de fin"))
    if end is None or start is None or not ok_start:
        return (start if ok_start else None), end
    if end < start:
        errors.add(
            "endDate", ErrorCode.END_BEFORE_START, "La date de fin précède la date de début."
        )
        return start, None
    if (end - start).days >= LONGEST_DAYS:
        errors.add("endDate", ErrorCode.DATE_TOO_FAR, "Une période dure au plus un an.")
        return start, None
    return start, end


def _check_overlap(
    errors: ErrorCollector, kind: SituationKind, span: Span, declared: Sequence[Declared]
) -> None:
    for other in declared:
        if other.span.overlaps(span):
            what = KIND_LABELS[other.kind].lower()
            errors.add(
                "startDate",
                ErrorCode.OVERLAPPING_PERIOD,
                f"Cette période chevauche votre {what} du {fr(other.span.start)} au "
                f"{fr(other.span.end)} déjà déclaré(e).",
            )
            return


def check_form(
    errors: ErrorCollector,
    refdata: ReferenceData,
    form: SituationForm,
    today: date,
    declared: Sequence[Declared],
) -> CheckedChange | None:
    """Check every field of the form; the values come back only when all is well."""
    allowed = FIELDS[form.kind]
    for name in form.given():
        if name not in allowed:
            label = KIND_LABELS[form.kind].lower()
            errors.add(name, ErrorCode.INVALID, f"Ce champ ne se renseigne pas pour : {label}.")
    start, end = _check_dates(errors, form, today)
    details: dict[str, Any] = {}
    if form.kind == SituationKind.WORK_RESUMED:
        details = _work(errors, form)
    elif form.kind == SituationKind.TRAINING:
        organisme = clean_text(
            errors, "organisme", form.organisme, label="Organisme", max_len=TEXT_MAX, required=True
        )
        details = {"organisme": organisme}
    elif form.kind == SituationKind.MOVE:
        details = _move(errors, refdata, form)
    if form.kind in DATED and start is not None and end is not None:
        _check_overlap(errors, form.kind, Span(start, end), declared)
    if errors.errors:
        return None
    assert start is not None
    return CheckedChange(form.kind, start, end, details)


def _work(errors: ErrorCollector, form: SituationForm) -> dict[str, Any]:
    employer = clean_text(
        errors, "employer", form.employer, label="Employeur", max_len=TEXT_MAX, required=True
    )
    if form.contract_type is None:
        errors.add("contractType", ErrorCode.REQUIRED, required_message("Type de contrat"))
    elif form.contract_type == ContractKind.CDI and form.end_date is not None:
        errors.add("endDate", ErrorCode.INVALID, "Un CDI n'a pas de date de fin.")
    hours = form.weekly_hours
    if hours is None:
        errors.add("weeklyHours", ErrorCode.REQUIRED, required_message("Heures par semaine"))
    elif not 1 <= hours <= MAX_WEEKLY_HOURS:
        errors.add(
            "weeklyHours",
            ErrorCode.OUT_OF_RANGE,
            f"Entre 1 et {MAX_WEEKLY_HOURS} heures par semaine.",
        )
    contract = form.contract_type.value if form.contract_type else None
    return {"employer": employer, "contractType": contract, "weeklyHours": hours}


def _move(errors: ErrorCollector, refdata: ReferenceData, form: SituationForm) -> dict[str, Any]:
    adresse = clean_text(
        errors, "adresse", form.adresse, label="Adresse (n° et rue)", max_len=200, required=True
    )
    complements = [
        clean_text(errors, field, value, label="Complément", max_len=100)
        for field, value in (
            ("complementAdresse1", form.complement_adresse1),
            ("complementAdresse2", form.complement_adresse2),
        )
    ]
    locality = check_french_locality(errors, refdata, form.postal_code, form.commune_insee)
    if locality is None:
        return {}
    return {
        "adresse": adresse,
        "complement1": complements[0],
        "complement2": complements[1],
        "postalCode": locality.postal_code,
        "communeInsee": locality.commune_insee,
        "communeName": locality.commune_name,
    }
