"""GraphQL inputs of the offers domain: the company and the offer form (FT v2 names)."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

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
from resolvers.offers.input import (
    ContactInput,
    FormationInput,
    OfferInput,
    RequirementInput,
    SalaryInput,
)
from schema.dossiers.enums import QualificationEnum
from schema.offers.enums import (
    CompanySizeEnum,
    DureeTravailEnum,
    ExigenceEnum,
    ExperienceExigeEnum,
    NatureContratEnum,
    NiveauFormationEnum,
    SalaryPeriodEnum,
    TypeContratEnum,
)

UNSET: Any = strawberry.UNSET
REQ = "Required. "


def _field(description: str, name: str | None = None) -> Any:
    return strawberry.field(default=UNSET, description=description, name=name)


@strawberry.input(description="The company's fields: omitted ones stay, null clears.")
class CompanyUpdateInput:
    name: str | None = _field("Name (required, 200 max).")
    siret: str | None = _field("SIRET: 14 digits with a valid check key (spaces allowed).")
    naf_code: str | None = _field("Code NAF rév. 2, NN.NNL (10.71C).")
    size_band: CompanySizeEnum | None = _field("Tranche d'effectif.")  # type: ignore[valid-type]
    description: str | None = _field("Presentation (2000 max).")

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not UNSET and not k.startswith("_")}


@strawberry.input(description="Salary: amounts with their period, or only a label.")
class SalaireInput:
    min: float | None = strawberry.field(default=None, description="Lowest amount (euros).")
    max: float | None = strawberry.field(default=None, description="Highest amount (euros).")
    period: SalaryPeriodEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Required with an amount."
    )
    libelle: str | None = strawberry.field(
        default=None, description="Label; built from the amounts when omitted."
    )


@strawberry.input(description="A driving licence, a language or a skill.")
class RequirementFields:
    libelle: str = strawberry.field(description="What it is.")
    exigence: ExigenceEnum = strawberry.field(  # type: ignore[valid-type]
        default=Exigence.S, description="Exigé (E) or souhaité (S)."
    )


@strawberry.input(description="A training asked for: a level and/or a field.")
class FormationFields:
    niveau: NiveauFormationEnum | None = strawberry.field(default=None, description="Level.")  # type: ignore[valid-type]
    domaine: str | None = strawberry.field(default=None, description="Field of study.")
    exigence: ExigenceEnum = strawberry.field(default=Exigence.S, description="E or S.")  # type: ignore[valid-type]


@strawberry.input(description="How to apply.")
class ContactFields:
    nom: str | None = strawberry.field(default=None, description="Who to contact.")
    courriel: str | None = strawberry.field(default=None, description="E-mail address.")
    telephone: str | None = strawberry.field(default=None, description="French phone number.")
    url_postulation: str | None = strawberry.field(default=None, description="http(s) link.")
    coordonnees: str | None = strawberry.field(default=None, description="Postal address.")


@strawberry.input(description="The fields of an offer (FT v2 vocabulary).")
class OfferFields:
    intitule: str | None = _field(REQ + "Intitulé (200 max).")
    description: str | None = _field(REQ + "Description (10 000 max).")
    commune_insee: str | None = _field(REQ + "Lieu de travail: INSEE code of the commune.")
    rome_code: str | None = _field(REQ + "ROME code (v460); follows from appellationCode.")
    appellation_code: str | None = _field("OGR code of a ROME appellation of that métier.")
    type_contrat: TypeContratEnum | None = _field(REQ + "Type de contrat.")  # type: ignore[valid-type]
    nature_contrat: NatureContratEnum | None = _field("Nature du contrat; E1 by default.")  # type: ignore[valid-type]
    duree_contrat_mois: int | None = _field("Length in months (fixed-term contracts).")
    experience_exige: ExperienceExigeEnum | None = _field(REQ + "D, S or E.")  # type: ignore[valid-type]
    experience_mois: int | None = _field("Months of experience asked (not with D).")
    qualification: QualificationEnum | None = _field("Qualification 1-9.")  # type: ignore[valid-type]
    salaire: SalaireInput | None = _field("Salary.")
    duree_travail: DureeTravailEnum | None = _field("Temps plein or temps partiel.")  # type: ignore[valid-type]
    heures_hebdo: float | None = _field("Hours per week (1 to 48).")
    formations: list[FormationFields] | None = _field("Training (5 max).")
    permis: list[RequirementFields] | None = _field("Driving licences (5 max).")
    langues: list[RequirementFields] | None = _field("Languages (10 max).")
    competences: list[RequirementFields] | None = _field("Skills (30 max).")
    nombre_postes: int | None = _field("Number of posts; 1 by default.")
    accessible_th: bool | None = _field("Open to disabled workers.", name="accessibleTH")
    contact: ContactFields | None = _field("How to apply.")
    expires_on: date | None = _field("Date limite: last day it is shown (within a year).")

    def values(self) -> dict[str, Any]:
        """The fields given, as ``OfferInput`` keyword arguments."""
        given = {
            k: v
            for k, v in vars(self).items()
            if v is not UNSET and k != "id" and not k.startswith("_")
        }
        enums: dict[str, Any] = {
            "type_contrat": TypeContrat,
            "nature_contrat": NatureContrat,
            "experience_exige": ExperienceExige,
            "qualification": Qualification,
            "duree_travail": DureeTravail,
        }
        for key, enum in enums.items():
            if given.get(key) is not None:
                given[key] = enum(given[key])
        if "salaire" in given and given["salaire"] is not None:
            s = given["salaire"]
            period = SalaryPeriod(s.period) if s.period else None
            given["salaire"] = SalaryInput(s.min, s.max, period, s.libelle)
        for key in ("permis", "langues", "competences"):
            if key in given:
                given[key] = tuple(
                    RequirementInput(r.libelle, Exigence(r.exigence)) for r in given[key] or ()
                )
        if "formations" in given:
            given["formations"] = tuple(
                FormationInput(
                    NiveauFormation(x.niveau) if x.niveau else None, x.domaine, Exigence(x.exigence)
                )
                for x in given["formations"] or ()
            )
        if given.get("contact") is not None:
            c = given["contact"]
            given["contact"] = ContactInput(
                c.nom, c.courriel, c.telephone, c.url_postulation, c.coordonnees
            )
        return given


@strawberry.input(description="A new offer (a draft until offerPublish).")
class OfferCreateInput(OfferFields):
    def to_data(self) -> OfferInput:
        return OfferInput(**self.values())


@strawberry.input(description="Changes to an offer: omitted fields stay, null clears.")
class OfferUpdateInput(OfferFields):
    id: strawberry.ID = strawberry.field(description="The offer's global ID.")


@strawberry.input(description="The offer whose status changes.")
class OfferStatusInput:
    id: strawberry.ID = strawberry.field(description="The offer's global ID.")
