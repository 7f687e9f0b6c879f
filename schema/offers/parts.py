"""The parts of an offer as GraphQL types: place, salary, requirements, training, contact,
employer (FT v2 vocabulary)."""

from __future__ import annotations

from typing import Any

import strawberry

from models.offers import Offer as OfferModel
from resolvers.offers import fields as f
from resolvers.offers.reference import offer_reference
from schema.core.context import Info
from schema.offers.enums import (
    ExigenceEnum,
    NiveauFormationEnum,
    SalaryPeriodEnum,
)
from schema.reference.schema import Commune, Departement, Region


@strawberry.type(description="Lieu de travail: a commune, its département and région.")
class LieuTravail:
    libelle: str = strawberry.field(description="As FT v2: « 22 - Guingamp ».")
    commune_insee: str | None = strawberry.field(description="INSEE code of the commune.")
    code_postal: str | None = strawberry.field(description="Postal code.")
    latitude: float | None = strawberry.field(description="Latitude of the commune centre.")
    longitude: float | None = strawberry.field(description="Longitude of the commune centre.")
    departement_code: strawberry.Private[str | None]
    region_code: strawberry.Private[str | None]

    @strawberry.field(description="The département.")
    def departement(self, info: Info) -> Departement | None:
        lookups = offer_reference(info.context.runtime.refdata)
        name = lookups.departement_name(self.departement_code)
        return Departement(code=self.departement_code or "", name=name) if name else None

    @strawberry.field(description="The commune (reference data), null when only a département.")
    def commune(self, info: Info) -> Commune | None:
        if self.commune_insee is None:
            return None
        found = info.context.runtime.refdata.commune(self.commune_insee, self.code_postal)
        return Commune.from_data(found) if found else None

    @strawberry.field(description="The région.")
    def region(self, info: Info) -> Region | None:
        names = offer_reference(info.context.runtime.refdata).regions
        code = self.region_code or ""
        return Region(code=code, name=names[code]) if code in names else None


@strawberry.type(description="Salaire: amounts for a period, and FT v2's label.")
class Salaire:
    min: float | None = strawberry.field(description="Lowest amount, in euros.")
    max: float | None = strawberry.field(description="Highest amount, in euros.")
    period: SalaryPeriodEnum | None = strawberry.field(description="What the amounts are for.")  # type: ignore[valid-type]
    libelle: str | None = strawberry.field(description="« Mensuel de 1800.00 Euros à … ».")
    monthly_min: float | None = strawberry.field(description="min as a monthly amount.")
    monthly_max: float | None = strawberry.field(description="max as a monthly amount.")


@strawberry.type(description="A driving licence, a language or a skill.")
class Requirement:
    libelle: str = strawberry.field(description="What it is, e.g. B - Véhicule léger.")
    exigence: ExigenceEnum = strawberry.field(description="Exigé or souhaité.")  # type: ignore[valid-type]


@strawberry.type(description="A training asked for.")
class Formation:
    niveau: NiveauFormationEnum | None = strawberry.field(description="Level.")  # type: ignore[valid-type]
    niveau_libelle: str | None = strawberry.field(description="Level, as FT v2 labels it.")
    domaine: str | None = strawberry.field(description="Field of study.")
    exigence: ExigenceEnum = strawberry.field(description="Exigé or souhaité.")  # type: ignore[valid-type]


@strawberry.type(description="How to apply.")
class Contact:
    nom: str | None = strawberry.field(description="Who to contact.")
    courriel: str | None = strawberry.field(description="E-mail address.")
    telephone: str | None = strawberry.field(description="Phone number, E.164.")
    url_postulation: str | None = strawberry.field(description="Where to apply online.")
    coordonnees: str | None = strawberry.field(description="Postal address.")


def requirements_of(items: list[dict[str, Any]]) -> list[Requirement]:
    return [Requirement(libelle=i["libelle"], exigence=f.Exigence(i["exigence"])) for i in items]


def lieu_travail_of(row: OfferModel) -> LieuTravail:
    return LieuTravail(
        libelle=row.lieu_libelle,
        commune_insee=row.commune_insee,
        code_postal=row.postal_code,
        latitude=row.latitude,
        longitude=row.longitude,
        departement_code=row.departement,
        region_code=row.region,
    )


def salaire_of(row: OfferModel) -> Salaire | None:
    if row.salaire_period is None and row.salaire_libelle is None:
        return None
    return Salaire(
        min=row.salaire_min,
        max=row.salaire_max,
        period=f.SalaryPeriod(row.salaire_period) if row.salaire_period else None,
        libelle=row.salaire_libelle,
        monthly_min=row.salaire_mensuel_min,
        monthly_max=row.salaire_mensuel_max,
    )


def duree_label(row: OfferModel) -> str | None:
    parts = []
    if row.heures_hebdo:
        parts.append(f.hours_label(row.heures_hebdo))
    if row.duree_travail:
        parts.append(f.DUREE_TRAVAIL_LABELS[f.DureeTravail(row.duree_travail)])
    return " ".join(parts) or None


def contact_of(contact: dict[str, Any] | None) -> Contact | None:
    if not contact:
        return None
    return Contact(
        nom=contact.get("nom"),
        courriel=contact.get("courriel"),
        telephone=contact.get("telephone"),
        url_postulation=contact.get("urlPostulation"),
        coordonnees=contact.get("coordonnees"),
    )
