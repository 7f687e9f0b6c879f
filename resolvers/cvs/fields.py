"""The CV form's vocabulary: enums with their French labels, and the plain input types the
schema hands to ``resolvers.cvs.form``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from models.cvs import Cv
from resolvers.offers.fields import NiveauFormation


class LanguageLevel(StrEnum):
    """Levels of the Cadre européen commun de référence (CECRL), and mother tongue."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"
    NATIVE = "NATIVE"


LANGUAGE_LEVEL_LABELS = {
    LanguageLevel.A1: "A1 – Débutant",
    LanguageLevel.A2: "A2 – Élémentaire",
    LanguageLevel.B1: "B1 – Intermédiaire",
    LanguageLevel.B2: "B2 – Intermédiaire avancé",
    LanguageLevel.C1: "C1 – Avancé",
    LanguageLevel.C2: "C2 – Maîtrise",
    LanguageLevel.NATIVE: "Langue maternelle",
}


class DrivingLicence(StrEnum):
    """French driving licence categories."""

    AM = "AM"
    A1 = "A1"
    A2 = "A2"
    A = "A"
    B1 = "B1"
    B = "B"
    BE = "BE"
    C1 = "C1"
    C1E = "C1E"
    C = "C"
    CE = "CE"
    D1 = "D1"
    D1E = "D1E"
    D = "D"
    DE = "DE"


DRIVING_LICENCE_LABELS = {
    DrivingLicence.AM: "AM – Cyclomoteur",
    DrivingLicence.A1: "A1 – Motocyclette légère",
    DrivingLicence.A2: "A2 – Motocyclette intermédiaire",
    DrivingLicence.A: "A – Motocyclette",
    DrivingLicence.B1: "B1 – Quadricycle lourd",
    DrivingLicence.B: "B – Véhicule léger",
    DrivingLicence.BE: "BE – Véhicule léger avec remorque",
    DrivingLicence.C1: "C1 – Poids lourd moyen",
    DrivingLicence.C1E: "C1E – Poids lourd moyen avec remorque",
    DrivingLicence.C: "C – Poids lourd",
    DrivingLicence.CE: "CE – Poids lourd avec remorque",
    DrivingLicence.D1: "D1 – Minibus",
    DrivingLicence.D1E: "D1E – Minibus avec remorque",
    DrivingLicence.D: "D – Autocar, autobus",
    DrivingLicence.DE: "DE – Autocar avec remorque",
}


class CvMissingItem(StrEnum):
    """What a CV lacks to be complete, most important first."""

    TITLE = "TITLE"
    METIER = "METIER"
    SUMMARY = "SUMMARY"
    EXPERIENCE = "EXPERIENCE"
    EDUCATION = "EDUCATION"
    SKILLS = "SKILLS"
    LANGUAGES = "LANGUAGES"
    DRIVING_LICENCES = "DRIVING_LICENCES"
    FILE = "FILE"


# Weights of the completeness score (they add up to 100).
COMPLETENESS_WEIGHTS = {
    CvMissingItem.TITLE: 10,
    CvMissingItem.METIER: 15,
    CvMissingItem.SUMMARY: 10,
    CvMissingItem.EXPERIENCE: 20,
    CvMissingItem.EDUCATION: 15,
    CvMissingItem.SKILLS: 10,
    CvMissingItem.LANGUAGES: 5,
    CvMissingItem.DRIVING_LICENCES: 5,
    CvMissingItem.FILE: 10,
}

MISSING_ITEM_LABELS = {
    CvMissingItem.TITLE: "Un titre",
    CvMissingItem.METIER: "Le métier recherché",
    CvMissingItem.SUMMARY: "Une présentation",
    CvMissingItem.EXPERIENCE: "Au moins une expérience",
    CvMissingItem.EDUCATION: "Au moins une formation",
    CvMissingItem.SKILLS: "Des compétences",
    CvMissingItem.LANGUAGES: "Les langues parlées",
    CvMissingItem.DRIVING_LICENCES: "Les permis de conduire",
    CvMissingItem.FILE: "Un CV au format PDF",
}


@dataclass(frozen=True, slots=True)
class ExperienceInput:
    job: str | None
    start_date: date | None
    employer: str | None = None
    place: str | None = None
    end_date: date | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class EducationInput:
    diploma: str | None
    level: NiveauFormation | None = None
    domain: str | None = None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class LanguageInput:
    language: str | None
    level: LanguageLevel


@dataclass(frozen=True, slots=True)
class CvInput:
    """The CV form. For an update, ``given`` names the fields sent (the others stay)."""

    title: str | None = None
    rome_code: str | None = None
    appellation_code: str | None = None
    summary: str | None = None
    experiences: tuple[ExperienceInput, ...] = ()
    educations: tuple[EducationInput, ...] = ()
    skills: tuple[str, ...] = ()
    languages: tuple[LanguageInput, ...] = ()
    driving_licences: tuple[DrivingLicence, ...] = ()
    given: frozenset[str] = field(default_factory=frozenset)

    def has(self, name: str) -> bool:
        return name in self.given


def language_json(language: str, level: LanguageLevel) -> dict[str, Any]:
    return {"language": language, "level": level.value}


def completeness(cv: Cv, experiences: int, educations: int) -> tuple[int, list[CvMissingItem]]:
    """The score (0 to 100) and what is missing, most important first."""
    present = {
        CvMissingItem.TITLE: bool(cv.title),
        CvMissingItem.METIER: cv.rome_code is not None,
        CvMissingItem.SUMMARY: bool(cv.summary),
        CvMissingItem.EXPERIENCE: experiences > 0,
        CvMissingItem.EDUCATION: educations > 0,
        CvMissingItem.SKILLS: bool(cv.skills),
        CvMissingItem.LANGUAGES: bool(cv.languages),
        CvMissingItem.DRIVING_LICENCES: bool(cv.driving_licences),
        CvMissingItem.FILE: cv.file_key is not None,
    }
    missing = [item for item in CvMissingItem if not present[item]]
    return 100 - sum(COMPLETENESS_WEIGHTS[item] for item in missing), missing
