"""The search criteria in GraphQL: ``OfferSearchCriteria`` (input) and ``OfferCriteriaView``
(as stored in saved searches and applied by a search)."""

from __future__ import annotations

import strawberry

from resolvers.dossiers.fields import Qualification
from resolvers.offers import fields as f
from resolvers.offers.criteria import OfferCriteria
from schema.dossiers.enums import QualificationEnum
from schema.offers.enums import (
    DureeTravailEnum,
    ExperienceExigeEnum,
    NatureContratEnum,
    SalaryPeriodEnum,
    TypeContratEnum,
)


@strawberry.input(
    description="Search criteria; all optional. Nothing given: every published offer "
    "(France entière, tous types de contrats). Place: a commune (+ distanceKm, 10 km by "
    "default, 200 max), or départements, or a région — one of them."
)
class OfferSearchCriteria:
    keywords: str | None = strawberry.field(
        default=None,
        description="Words, all required; French stemming, accents and case ignored; they "
        "match the intitulé, the description, skills and the ROME labels.",
    )
    rome_codes: list[str] | None = strawberry.field(
        default=None, description="ROME codes (v460), any of them (10 max)."
    )
    appellation_code: str | None = strawberry.field(
        default=None, description="OGR code of a ROME appellation (see jobTitles)."
    )
    commune_insee: str | None = strawberry.field(
        default=None, description="INSEE code of the commune to search around."
    )
    distance_km: int | None = strawberry.field(
        default=None, description="Radius around the commune's centre, 0 to 200 km."
    )
    departements: list[str] | None = strawberry.field(
        default=None, description="Département codes (22, 2A, 974…), any of them (10 max)."
    )
    region: str | None = strawberry.field(default=None, description="Région code (53…).")
    types_contrat: list[TypeContratEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Types de contrat, any of them."
    )
    natures_contrat: list[NatureContratEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Natures de contrat, any of them."
    )
    experience: list[ExperienceExigeEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Expérience demandée (D, S, E), any of them."
    )
    experience_max_mois: int | None = strawberry.field(
        default=None,
        description="Offers asking at most this many months of experience (débutants "
        "acceptés always match).",
    )
    qualifications: list[QualificationEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Qualifications, any of them."
    )
    duree_travail: DureeTravailEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Temps plein or temps partiel."
    )
    salaire_min: float | None = strawberry.field(
        default=None,
        description="Minimum salary for salairePeriod; compared as monthly amounts "
        "(hourly x 151.67, yearly / 12) with the top of each offer's range.",
    )
    salaire_period: SalaryPeriodEnum = strawberry.field(  # type: ignore[valid-type]
        default=f.SalaryPeriod.MONTHLY, description="What salaireMin is for."
    )
    published_since_days: int | None = strawberry.field(
        default=None, description="Published in the last N days (1 to 365)."
    )

    def to_data(self) -> OfferCriteria:
        return OfferCriteria(
            keywords=self.keywords,
            rome_codes=tuple(self.rome_codes or ()),
            appellation_code=self.appellation_code,
            commune_insee=self.commune_insee,
            distance_km=self.distance_km,
            departements=tuple(self.departements or ()),
            region=self.region,
            types_contrat=tuple(f.TypeContrat(t) for t in self.types_contrat or ()),
            natures_contrat=tuple(f.NatureContrat(n) for n in self.natures_contrat or ()),
            experience=tuple(f.ExperienceExige(e) for e in self.experience or ()),
            experience_max_mois=self.experience_max_mois,
            qualifications=tuple(Qualification(q) for q in self.qualifications or ()),
            duree_travail=f.DureeTravail(self.duree_travail) if self.duree_travail else None,
            salaire_min=self.salaire_min,
            salaire_period=f.SalaryPeriod(self.salaire_period),
            published_since_days=self.published_since_days,
        )


@strawberry.type(description="Search criteria as stored and applied.")
class OfferCriteriaView:
    keywords: str | None = strawberry.field(description="Keywords.")
    rome_codes: list[str] = strawberry.field(description="ROME codes.")
    appellation_code: str | None = strawberry.field(description="OGR code of an appellation.")
    commune_insee: str | None = strawberry.field(description="Commune searched around.")
    distance_km: int | None = strawberry.field(description="Radius as given (null: default).")
    radius_km: int | None = strawberry.field(description="Radius applied (10 km by default).")
    departements: list[str] = strawberry.field(description="Départements.")
    region: str | None = strawberry.field(description="Région.")
    types_contrat: list[TypeContratEnum] = strawberry.field(description="Types de contrat.")  # type: ignore[valid-type]
    natures_contrat: list[NatureContratEnum] = strawberry.field(description="Natures.")  # type: ignore[valid-type]
    experience: list[ExperienceExigeEnum] = strawberry.field(description="Expérience.")  # type: ignore[valid-type]
    experience_max_mois: int | None = strawberry.field(description="Most months asked.")
    qualifications: list[QualificationEnum] = strawberry.field(description="Qualifications.")  # type: ignore[valid-type]
    duree_travail: DureeTravailEnum | None = strawberry.field(description="Working time.")  # type: ignore[valid-type]
    salaire_min: float | None = strawberry.field(description="Minimum salary.")
    salaire_period: SalaryPeriodEnum = strawberry.field(description="Its period.")  # type: ignore[valid-type]
    salaire_mensuel_min: float | None = strawberry.field(description="As a monthly amount.")
    published_since_days: int | None = strawberry.field(description="Published in N days.")

    @classmethod
    def from_data(cls, c: OfferCriteria) -> OfferCriteriaView:
        return cls(
            keywords=c.keywords,
            rome_codes=list(c.rome_codes),
            appellation_code=c.appellation_code,
            commune_insee=c.commune_insee,
            distance_km=c.distance_km,
            radius_km=c.radius_km,
            departements=list(c.departements),
            region=c.region,
            types_contrat=list(c.types_contrat),
            natures_contrat=list(c.natures_contrat),
            experience=list(c.experience),
            experience_max_mois=c.experience_max_mois,
            qualifications=list(c.qualifications),
            duree_travail=c.duree_travail,
            salaire_min=c.salaire_min,
            salaire_period=c.salaire_period,
            salaire_mensuel_min=c.salaire_mensuel_min,
            published_since_days=c.published_since_days,
        )
