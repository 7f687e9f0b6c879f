"""Checks of the CV form: every field error comes back at once (``ErrorCollector``).

Field names are the camelCase input names; items of a list are addressed by their index
(``experiences.0.startDate``). ``check_cv`` checks only the fields an update sends
(``CvInput.given``); the métier (``romeCode`` and ``appellationCode``) is one field pair,
replaced together.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from refdata import ReferenceData
from resolvers.core.errors import ErrorCode, ErrorCollector
from resolvers.core.validation import clean_text
from resolvers.cvs.fields import CvInput, EducationInput, ExperienceInput, language_json
from resolvers.offers.reference import offer_reference

MAX_EXPERIENCES = 30
MAX_EDUCATIONS = 15
MAX_SKILLS = 30
MAX_LANGUAGES = 10
LONG_TEXT = 2000
FIRST_YEAR = 1950
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class CvValues:
    """What to store: only the keys of the fields that were sent (``romeCode`` and
    ``appellationCode`` give ``rome_code``, ``appellation_code`` and ``metier_libelle``)."""

    columns: dict[str, Any]
    experiences: list[dict[str, Any]] | None = None
    educations: list[dict[str, Any]] | None = None


def check_cv(ref: ReferenceData, data: CvInput, today: date) -> CvValues:
    """The checked values of ``data``, or a DomainError with every problem."""
    errors = ErrorCollector()
    values = CvValues(columns={})
    columns = values.columns
    if data.has("title"):
        columns["title"] = clean_text(
            errors, "title", data.title, label="Titre du CV", max_len=120, required=True
        )
    if data.has("romeCode") or data.has("appellationCode"):
        columns.update(_metier(ref, errors, data.rome_code, data.appellation_code))
    if data.has("summary"):
        columns["summary"] = long_text(errors, "summary", data.summary, label="Présentation")
    if data.has("experiences"):
        values.experiences = _experiences(errors, data.experiences, today)
    if data.has("educations"):
        values.educations = _educations(errors, data.educations, today)
    if data.has("skills"):
        columns["skills"] = _skills(errors, data.skills)
    if data.has("languages"):
        columns["languages"] = _languages(errors, data)
    if data.has("drivingLicences"):
        columns["driving_licences"] = [d.value for d in dict.fromkeys(data.driving_licences)]
    errors.raise_if_any()
    return values


def long_text(errors: ErrorCollector, field: str, value: str | None, *, label: str) -> str | None:
    """An optional multi-line text (None when empty)."""
    text = unicodedata.normalize("NFC", value).strip() if value is not None else ""
    if not text:
        return None
    if len(text) > LONG_TEXT:
        errors.add(
            field,
            ErrorCode.TOO_LONG,
            f"Le champ « {label} » ne doit pas dépasser {LONG_TEXT} caractères.",
        )
        return None
    if _CONTROL_MULTILINE.search(text):
        errors.add(
            field, ErrorCode.INVALID, f"Le champ « {label} » contient des caractères non autorisés."
        )
        return None
    return text.replace("\r\n", "\n")


def _metier(
    ref: ReferenceData, errors: ErrorCollector, rome: str | None, appellation: str | None
) -> dict[str, Any]:
    rome_code = (rome or "").strip().upper() or None
    code = (appellation or "").strip() or None
    out: dict[str, Any] = {"rome_code": None, "appellation_code": None, "metier_libelle": None}
    if code is not None:
        title = offer_reference(ref).appellations.get(code)
        if title is None:
            errors.add("appellationCode", ErrorCode.UNKNOWN_APPELLATION, "Appellation inconnue.")
        elif rome_code is not None and rome_code != title.code_rome:
            errors.add(
                "romeCode",
                ErrorCode.CONFLICTING_CRITERIA,
                f"Cette appellation relève du code ROME {title.code_rome}, pas de {rome_code}.",
            )
        else:
            out.update(
                rome_code=title.code_rome, appellation_code=code, metier_libelle=title.libelle
            )
        return out
    if rome_code is not None:
        metier = ref.metier(rome_code)
        if metier is None:
            errors.add("romeCode", ErrorCode.UNKNOWN_ROME_CODE, f"Code ROME inconnu : {rome_code}.")
        else:
            out.update(rome_code=metier.code, metier_libelle=metier.libelle)
    return out


def _experiences(
    errors: ErrorCollector, items: tuple[ExperienceInput, ...], today: date
) -> list[dict[str, Any]]:
    if len(items) > MAX_EXPERIENCES:
        errors.add("experiences", ErrorCode.TOO_LONG, f"{MAX_EXPERIENCES} expériences au plus.")
        return []
    out = []
    for index, item in enumerate(items):
        at = f"experiences.{index}."
        start, end = item.start_date, item.end_date
        if start is None:
            errors.add(at + "startDate", ErrorCode.REQUIRED, "Indiquez la date de début.")
        elif start > today:
            errors.add(at + "startDate", ErrorCode.INVALID_DATE, "Date de début à venir.")
        if end is not None and start is not None and end < start:
            errors.add(at + "endDate", ErrorCode.INVALID_DATE, "La fin précède le début.")
        out.append(
            {
                "position": index,
                "job": clean_text(
                    errors, at + "job", item.job, label="Poste", max_len=200, required=True
                ),
                "employer": clean_text(
                    errors, at + "employer", item.employer, label="Employeur", max_len=200
                ),
                "place": clean_text(errors, at + "place", item.place, label="Lieu", max_len=120),
                "start_date": start,
                "end_date": end,
                "description": long_text(
                    errors, at + "description", item.description, label="Description"
                ),
            }
        )
    return out


def _educations(
    errors: ErrorCollector, items: tuple[EducationInput, ...], today: date
) -> list[dict[str, Any]]:
    if len(items) > MAX_EDUCATIONS:
        errors.add("educations", ErrorCode.TOO_LONG, f"{MAX_EDUCATIONS} formations au plus.")
        return []
    out = []
    for index, item in enumerate(items):
        at = f"educations.{index}."
        if item.year is not None and not FIRST_YEAR <= item.year <= today.year + 5:
            errors.add(
                at + "year",
                ErrorCode.OUT_OF_RANGE,
                f"Année attendue entre {FIRST_YEAR} et {today.year + 5}.",
            )
        out.append(
            {
                "position": index,
                "diploma": clean_text(
                    errors,
                    at + "diploma",
                    item.diploma,
                    label="Diplôme",
                    max_len=200,
                    required=True,
                ),
                "level": item.level.value if item.level is not None else None,
                "domain": clean_text(
                    errors, at + "domain", item.domain, label="Domaine", max_len=200
                ),
                "year": item.year,
            }
        )
    return out


def _skills(errors: ErrorCollector, items: tuple[str, ...]) -> list[str]:
    if len(items) > MAX_SKILLS:
        errors.add("skills", ErrorCode.TOO_LONG, f"{MAX_SKILLS} compétences au plus.")
        return []
    found: dict[str, str] = {}
    for index, item in enumerate(items):
        text = clean_text(
            errors, f"skills.{index}", item, label="Compétence", max_len=80, required=True
        )
        if text is not None:
            found.setdefault(text.casefold(), text)
    return list(found.values())


def _languages(errors: ErrorCollector, data: CvInput) -> list[dict[str, Any]]:
    if len(data.languages) > MAX_LANGUAGES:
        errors.add("languages", ErrorCode.TOO_LONG, f"{MAX_LANGUAGES} langues au plus.")
        return []
    found: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(data.languages):
        at = f"languages.{index}.language"
        name = clean_text(errors, at, item.language, label="Langue", max_len=60, required=True)
        if name is None:
            continue
        if name.casefold() in found:
            errors.add(at, ErrorCode.DUPLICATE, f"La langue « {name} » figure déjà.")
            continue
        found[name.casefold()] = language_json(name, item.level)
    return list(found.values())
