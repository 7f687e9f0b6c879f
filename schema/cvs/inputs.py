"""Inputs of the CV mutations and of the employers' CV search."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from resolvers.cvs.fields import (
    CvInput,
    DrivingLicence,
    EducationInput,
    ExperienceInput,
    LanguageInput,
    LanguageLevel,
)
from resolvers.cvs.search import CvCriteria
from resolvers.offers.fields import NiveauFormation
from schema.cvs.parts import CvVisibilityEnum, DrivingLicenceEnum, LanguageLevelEnum
from schema.offers.enums import NiveauFormationEnum

UNSET: Any = strawberry.UNSET


@strawberry.input(description="One job of a CV.")
class CvExperienceInput:
    job: str = strawberry.field(description="Poste occupé (required, 200 max).")
    start_date: date | None = strawberry.field(default=None, description="Début (required).")
    end_date: date | None = strawberry.field(default=None, description="Fin; null if ongoing.")
    employer: str | None = strawberry.field(default=None, description="Employeur (200 max).")
    place: str | None = strawberry.field(default=None, description="Lieu (120 max).")
    description: str | None = strawberry.field(default=None, description="Missions (2,000 max).")

    def to_data(self) -> ExperienceInput:
        return ExperienceInput(
            job=self.job,
            start_date=self.start_date,
            employer=self.employer,
            place=self.place,
            end_date=self.end_date,
            description=self.description,
        )


@strawberry.input(description="One diploma or training of a CV.")
class CvEducationInput:
    diploma: str = strawberry.field(description="Diplôme ou formation (required, 200 max).")
    level: NiveauFormationEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Niveau."
    )
    domain: str | None = strawberry.field(default=None, description="Domaine (200 max).")
    year: int | None = strawberry.field(default=None, description="Année (1950 to next years).")

    def to_data(self) -> EducationInput:
        level = NiveauFormation(self.level) if self.level is not None else None
        return EducationInput(diploma=self.diploma, level=level, domain=self.domain, year=self.year)


@strawberry.input(description="A language and its level.")
class CvLanguageInput:
    language: str = strawberry.field(description="La langue (60 max), once per CV.")
    level: LanguageLevelEnum = strawberry.field(description="Le niveau.")  # type: ignore[valid-type]

    def to_data(self) -> LanguageInput:
        return LanguageInput(language=self.language, level=LanguageLevel(self.level))


FIELD_DESCRIPTIONS = {
    "title": "Titre du CV (required, 120 max).",
    "rome_code": "Code ROME of the métier sought (D1102); implied by an appellation.",
    "appellation_code": "Code OGR of the appellation sought (its ROME code follows).",
    "summary": "Présentation (2,000 max).",
    "experiences": "Expériences, in the order to show (30 max).",
    "educations": "Formations, in the order to show (15 max).",
    "skills": "Compétences (30 max, 80 characters each).",
    "languages": "Langues (10 max).",
    "driving_licences": "Permis de conduire.",
}
_CAMEL = {
    "title": "title",
    "rome_code": "romeCode",
    "appellation_code": "appellationCode",
    "summary": "summary",
    "experiences": "experiences",
    "educations": "educations",
    "skills": "skills",
    "languages": "languages",
    "driving_licences": "drivingLicences",
}


def _cv_input(source: Any) -> CvInput:
    """The plain form of a create or update input; UNSET fields are not "given"."""
    given = {name for name in _CAMEL if getattr(source, name) is not UNSET}

    def value(name: str, default: Any = None) -> Any:
        raw = getattr(source, name)
        return default if raw is UNSET or raw is None else raw

    return CvInput(
        title=value("title"),
        rome_code=value("rome_code"),
        appellation_code=value("appellation_code"),
        summary=value("summary"),
        experiences=tuple(x.to_data() for x in value("experiences", [])),
        educations=tuple(x.to_data() for x in value("educations", [])),
        skills=tuple(value("skills", [])),
        languages=tuple(x.to_data() for x in value("languages", [])),
        driving_licences=tuple(DrivingLicence(d) for d in value("driving_licences", [])),
        given=frozenset(_CAMEL[name] for name in given),
    )


def _field(name: str, default: Any = None) -> Any:
    return strawberry.field(default=default, description=FIELD_DESCRIPTIONS[name])


@strawberry.input(
    description="A new CV, private until published. Every field error comes back "
    "at once; list items as experiences.0.startDate."
)
class CvCreateInput:
    dossier_id: strawberry.ID = strawberry.field(description="The dossier's global ID.")
    title: str = strawberry.field(description=FIELD_DESCRIPTIONS["title"])
    rome_code: str | None = _field("rome_code")
    appellation_code: str | None = _field("appellation_code")
    summary: str | None = _field("summary")
    experiences: list[CvExperienceInput] = strawberry.field(
        default_factory=list, description=FIELD_DESCRIPTIONS["experiences"]
    )
    educations: list[CvEducationInput] = strawberry.field(
        default_factory=list, description=FIELD_DESCRIPTIONS["educations"]
    )
    skills: list[str] = strawberry.field(
        default_factory=list, description=FIELD_DESCRIPTIONS["skills"]
    )
    languages: list[CvLanguageInput] = strawberry.field(
        default_factory=list, description=FIELD_DESCRIPTIONS["languages"]
    )
    driving_licences: list[DrivingLicenceEnum] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list, description=FIELD_DESCRIPTIONS["driving_licences"]
    )

    def to_data(self) -> CvInput:
        return _cv_input(self)


@strawberry.input(
    description="Changes to a CV: omitted fields stay, lists sent replace the old "
    "ones; romeCode and appellationCode are replaced together."
)
class CvUpdateInput:
    id: strawberry.ID = strawberry.field(description="The CV's global ID.")
    title: str | None = _field("title", UNSET)
    rome_code: str | None = _field("rome_code", UNSET)
    appellation_code: str | None = _field("appellation_code", UNSET)
    summary: str | None = _field("summary", UNSET)
    experiences: list[CvExperienceInput] | None = _field("experiences", UNSET)
    educations: list[CvEducationInput] | None = _field("educations", UNSET)
    skills: list[str] | None = _field("skills", UNSET)
    languages: list[CvLanguageInput] | None = _field("languages", UNSET)
    driving_licences: list[DrivingLicenceEnum] | None = _field(  # type: ignore[valid-type]
        "driving_licences", UNSET
    )

    def to_data(self) -> CvInput:
        return _cv_input(self)


@strawberry.input(description="The CV to delete (with its file).")
class CvDeleteInput:
    id: strawberry.ID = strawberry.field(description="The CV's global ID.")


@strawberry.input(description="Who may find the CV.")
class CvPublishInput:
    id: strawberry.ID = strawberry.field(description="The CV's global ID.")
    visibility: CvVisibilityEnum = strawberry.field(  # type: ignore[valid-type]
        description="PRIVATE, PUBLISHED (with the name) or ANONYMOUS."
    )


@strawberry.input(
    description="A PDF for the CV, sent as a GraphQL multipart request (with the header "
    "GraphQL-Require-Preflight: 1). Checked by its content, 2 MiB max by default; it "
    "replaces the CV's previous file."
)
class CvFileUploadInput:
    id: strawberry.ID = strawberry.field(description="The CV's global ID.")
    file: Upload = strawberry.field(description="The PDF file (multipart).")


@strawberry.input(description="The CV whose file to remove.")
class CvFileDeleteInput:
    id: strawberry.ID = strawberry.field(description="The CV's global ID.")


@strawberry.input(description="What an employer looks for in CVs; empty: every published CV.")
class CvSearchCriteria:
    rome_codes: list[str] = strawberry.field(
        default_factory=list, description="Codes ROME of the métiers (10 max)."
    )
    appellation_code: str | None = strawberry.field(
        default=None, description="Code OGR of an appellation."
    )
    commune_insee: str | None = strawberry.field(
        default=None, description="INSEE code of the commune around which to search."
    )
    radius_km: int | None = strawberry.field(
        default=None, description="Distance from the commune, 0 to 200 km (10 by default)."
    )
    departements: list[str] = strawberry.field(
        default_factory=list, description="Départements (10 max), instead of a commune."
    )
    keywords: str | None = strawberry.field(
        default=None, description="Words to find in the CV (title, métier, summary, skills…)."
    )

    def to_data(self) -> CvCriteria:
        return CvCriteria(
            rome_codes=tuple(self.rome_codes),
            appellation_code=self.appellation_code,
            commune_insee=self.commune_insee,
            radius_km=self.radius_km,
            departements=tuple(self.departements),
            keywords=self.keywords,
        )
