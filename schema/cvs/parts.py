"""The parts of a CV as GraphQL types: enums, experiences, education, languages, the
file, the completeness, and who the candidat is and where (``schema.cvs.types.Cv``)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from models.cvs import CvEducation as CvEducationModel
from models.cvs import CvExperience as CvExperienceModel
from models.cvs import CvVisibility
from resolvers.cvs.fields import (
    DRIVING_LICENCE_LABELS,
    LANGUAGE_LEVEL_LABELS,
    MISSING_ITEM_LABELS,
    CvMissingItem,
    DrivingLicence,
    LanguageLevel,
)
from resolvers.offers.fields import NIVEAU_FORMATION_LABELS, NiveauFormation
from schema.core.base import described_enum
from schema.core.phone import PhoneNumber
from schema.dossiers.enums import CiviliteEnum
from schema.offers.enums import NiveauFormationEnum

CvVisibilityEnum = described_enum(
    CvVisibility,
    "CvVisibility",
    "Who can find a CV.",
    {
        CvVisibility.PRIVATE: "Privé: only its owner sees it.",
        CvVisibility.PUBLISHED: "Publié: employers find it, with the candidat's name and "
        "contact details.",
        CvVisibility.ANONYMOUS: "Publié anonymement: employers find it without name, contact "
        "details, exact address or attached file.",
    },
)
LanguageLevelEnum = described_enum(
    LanguageLevel, "LanguageLevel", "Niveau de langue (CECRL).", LANGUAGE_LEVEL_LABELS
)
DrivingLicenceEnum = described_enum(
    DrivingLicence, "DrivingLicence", "Catégorie de permis de conduire.", DRIVING_LICENCE_LABELS
)
CvMissingItemEnum = described_enum(
    CvMissingItem, "CvMissingItem", "Something a CV lacks to be complete.", MISSING_ITEM_LABELS
)


@strawberry.type(description="The métier a CV targets: a ROME code, and maybe an appellation.")
class CvMetier:
    rome_code: str = strawberry.field(description="Code ROME (e.g. D1102).")
    appellation_code: str | None = strawberry.field(description="Code OGR of the appellation.")
    libelle: str = strawberry.field(description="The appellation's label, or the métier's.")


@strawberry.type(description="One job of a CV.")
class CvExperience:
    job: str = strawberry.field(description="Poste occupé.")
    employer: str | None = strawberry.field(description="Employeur.")
    place: str | None = strawberry.field(description="Lieu.")
    start_date: date = strawberry.field(description="Début.")
    end_date: date | None = strawberry.field(description="Fin; null while still there.")
    description: str | None = strawberry.field(description="Missions, achievements.")

    @classmethod
    def from_model(cls, row: CvExperienceModel) -> CvExperience:
        return cls(
            job=row.job,
            employer=row.employer,
            place=row.place,
            start_date=row.start_date,
            end_date=row.end_date,
            description=row.description,
        )


@strawberry.type(description="One diploma or training of a CV.")
class CvEducation:
    diploma: str = strawberry.field(description="Diplôme ou formation.")
    level: NiveauFormationEnum | None = strawberry.field(description="Niveau.")  # type: ignore[valid-type]
    level_label: str | None = strawberry.field(description="The level's French label.")
    domain: str | None = strawberry.field(description="Domaine.")
    year: int | None = strawberry.field(description="Année d'obtention (or expected).")

    @classmethod
    def from_model(cls, row: CvEducationModel) -> CvEducation:
        level = NiveauFormation(row.level) if row.level else None
        return cls(
            diploma=row.diploma,
            level=level,
            level_label=NIVEAU_FORMATION_LABELS[level] if level else None,
            domain=row.domain,
            year=row.year,
        )


@strawberry.type(description="A language and how well it is spoken.")
class CvLanguage:
    language: str = strawberry.field(description="La langue (e.g. Anglais).")
    level: LanguageLevelEnum = strawberry.field(description="Le niveau.")  # type: ignore[valid-type]
    level_label: str = strawberry.field(description="The level's French label.")


@strawberry.type(description="The PDF attached to a CV.")
class CvFile:
    name: str = strawberry.field(description="Its file name.")
    size: int = strawberry.field(description="Its size in bytes.")
    uploaded_at: datetime = strawberry.field(description="When it was attached.")
    url: str = strawberry.field(
        description="Where to download it (GET with the same bearer token as /graphql)."
    )


@strawberry.type(description="How complete a CV is, and what it lacks.")
class CvCompleteness:
    score: int = strawberry.field(description="From 0 (empty) to 100 (complete).")
    missing: list[CvMissingItemEnum] = strawberry.field(  # type: ignore[valid-type]
        description="What is missing, most important first."
    )


@strawberry.type(
    description="Who the CV is of: shown to its owner, and to employers for a "
    "CV published with the name."
)
class CvCandidate:
    civilite: CiviliteEnum = strawberry.field(description="Civilité.")  # type: ignore[valid-type]
    nom: str = strawberry.field(description="Nom.")
    prenom: str = strawberry.field(description="Prénom.")
    email: str | None = strawberry.field(description="Adresse électronique, if any.")
    phone_mobile: PhoneNumber | None = strawberry.field(description="Téléphone portable.")
    phone_fixe: PhoneNumber | None = strawberry.field(description="Téléphone fixe.")


@strawberry.type(
    description="Where the candidat lives, at commune level at most (never the street)."
)
class CvPlace:
    commune_insee: str = strawberry.field(description="INSEE code of the commune.")
    commune_name: str = strawberry.field(description="The commune.")
    departement_code: str = strawberry.field(description="The département's code.")
    departement_name: str = strawberry.field(description="The département.")
