"""What the offer form sends (plain data), and the GraphQL names its errors point at."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from resolvers.dossiers.fields import Qualification
from resolvers.offers.fields import (
    DureeTravail,
    Exigence,
    ExperienceExige,
    NatureContrat,
    NiveauFormation,
    SalaryPeriod,
    TypeContrat,
)


@dataclass(frozen=True, slots=True)
class SalaryInput:
    minimum: float | None = None
    maximum: float | None = None
    period: SalaryPeriod | None = None
    libelle: str | None = None


@dataclass(frozen=True, slots=True)
class RequirementInput:
    """A driving licence, a language or a skill, required (E) or wished (S)."""

    libelle: str
    exigence: Exigence = Exigence.S


@dataclass(frozen=True, slots=True)
class FormationInput:
    niveau: NiveauFormation | None = None
    domaine: str | None = None
    exigence: Exigence = Exigence.S


@dataclass(frozen=True, slots=True)
class ContactInput:
    nom: str | None = None
    courriel: str | None = None
    telephone: str | None = None
    url_postulation: str | None = None
    coordonnees: str | None = None


@dataclass(frozen=True, slots=True)
class OfferInput:
    """Every field may be missing: the checks say what is required."""

    intitule: str | None = None
    description: str | None = None
    commune_insee: str | None = None
    rome_code: str | None = None
    appellation_code: str | None = None
    type_contrat: TypeContrat | None = None
    nature_contrat: NatureContrat | None = None
    duree_contrat_mois: int | None = None
    experience_exige: ExperienceExige | None = None
    experience_mois: int | None = None
    qualification: Qualification | None = None
    salaire: SalaryInput | None = None
    duree_travail: DureeTravail | None = None
    heures_hebdo: float | None = None
    formations: tuple[FormationInput, ...] = ()
    permis: tuple[RequirementInput, ...] = ()
    langues: tuple[RequirementInput, ...] = ()
    competences: tuple[RequirementInput, ...] = ()
    nombre_postes: int | None = None
    accessible_th: bool | None = None
    contact: ContactInput | None = None
    expires_on: date | None = None


INPUT_FIELDS: frozenset[str] = frozenset(f.name for f in fields(OfferInput))

# The GraphQL input field names that userErrors point at.
FIELD = {
    "intitule": "intitule",
    "description": "description",
    "commune_insee": "communeInsee",
    "rome_code": "romeCode",
    "appellation_code": "appellationCode",
    "type_contrat": "typeContrat",
    "nature_contrat": "natureContrat",
    "duree_contrat_mois": "dureeContratMois",
    "experience_exige": "experienceExige",
    "experience_mois": "experienceMois",
    "qualification": "qualification",
    "salaire": "salaire",
    "duree_travail": "dureeTravail",
    "heures_hebdo": "heuresHebdo",
    "formations": "formations",
    "permis": "permis",
    "langues": "langues",
    "competences": "competences",
    "nombre_postes": "nombrePostes",
    "accessible_th": "accessibleTH",
    "contact": "contact",
    "expires_on": "expiresOn",
}
