"""An offer update: the stored offer as the form it was, with the update's changes merged in."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from models.offers import Offer
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


def input_from_row(row: Offer) -> OfferInput:
    """The form as it stands, to apply an update's changes to."""
    salary = None
    if row.salaire_period or row.salaire_libelle:
        salary = SalaryInput(
            minimum=row.salaire_min,
            maximum=row.salaire_max,
            period=SalaryPeriod(row.salaire_period) if row.salaire_period else None,
            libelle=row.salaire_libelle,
        )
    contact = row.contact or {}
    return OfferInput(
        intitule=row.intitule,
        description=row.description,
        commune_insee=row.commune_insee,
        rome_code=row.rome_code,
        appellation_code=row.appellation_code,
        type_contrat=TypeContrat(row.type_contrat),
        nature_contrat=NatureContrat(row.nature_contrat),
        duree_contrat_mois=row.duree_contrat_mois,
        experience_exige=ExperienceExige(row.experience_exige),
        experience_mois=row.experience_mois,
        qualification=Qualification(row.qualification) if row.qualification else None,
        salaire=salary,
        duree_travail=DureeTravail(row.duree_travail) if row.duree_travail else None,
        heures_hebdo=row.heures_hebdo,
        formations=tuple(
            FormationInput(
                NiveauFormation(f["niveau"]) if f.get("niveau") else None,
                f.get("domaine"),
                Exigence(f["exigence"]),
            )
            for f in row.formations
        ),
        permis=_requirements(row.permis),
        langues=_requirements(row.langues),
        competences=_requirements(row.competences),
        nombre_postes=row.nombre_postes,
        accessible_th=row.accessible_th,
        contact=ContactInput(
            nom=contact.get("nom"),
            courriel=contact.get("courriel"),
            telephone=contact.get("telephone"),
            url_postulation=contact.get("urlPostulation"),
            coordonnees=contact.get("coordonnees"),
        )
        if contact
        else None,
        expires_on=(row.expires_at - timedelta(days=1)).date() if row.expires_at else None,
    )


def _requirements(items: list[dict[str, Any]]) -> tuple[RequirementInput, ...]:
    return tuple(RequirementInput(i["libelle"], Exigence(i["exigence"])) for i in items)


def merge_update(current: OfferInput, changes: dict[str, Any]) -> OfferInput:
    return replace(current, **changes)
