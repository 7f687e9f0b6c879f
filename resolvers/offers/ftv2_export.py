"""Offers as France Travail "Offres d'emploi v2" JSON records (the inverse of
``resolvers.offers.ftv2.parse_record``: an export imports again unchanged)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.offers import Company, Offer
from resolvers.dossiers.fields import QUALIFICATION_LABELS, Qualification
from resolvers.offers.fields import (
    COMPANY_SIZE_LABELS,
    DUREE_TRAVAIL_LABELS,
    NATURE_CONTRAT_LABELS,
    NIVEAU_FORMATION_LABELS,
    TYPE_CONTRAT_LABELS,
    CompanySize,
    DureeTravail,
    ExperienceExige,
    NatureContrat,
    NiveauFormation,
    TypeContrat,
    experience_label,
    hours_label,
    months_label,
)
from resolvers.offers.ftv2 import ORIGIN_CODES


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def to_record(offer: Offer, company: Company | None, origin_url: str) -> dict[str, Any]:
    """The FT v2 record of an offer; ``company`` is its company, for offers posted here."""
    type_contrat = TypeContrat(offer.type_contrat)
    type_label = TYPE_CONTRAT_LABELS[type_contrat]
    if offer.duree_contrat_mois:
        type_label += f" - {months_label(offer.duree_contrat_mois)}"
    exige = ExperienceExige(offer.experience_exige)
    if company is not None:
        employer = {"nom": company.name, "description": company.description}
    else:
        employer = {"nom": offer.employer_name, **(offer.employer_info or {})}
    record: dict[str, Any] = {
        "id": offer.origin_number,
        "intitule": offer.intitule,
        "description": offer.description,
        "dateCreation": _iso(offer.published_at or offer.created_at),
        "dateActualisation": _iso(offer.updated_at),
        "lieuTravail": {
            "libelle": offer.lieu_libelle,
            "latitude": offer.latitude,
            "longitude": offer.longitude,
            "codePostal": offer.postal_code,
            "commune": offer.commune_insee,
        },
        "romeCode": offer.rome_code,
        "romeLibelle": offer.rome_libelle,
        "appellationlibelle": offer.appellation_libelle,
        "entreprise": {k: v for k, v in employer.items() if v is not None},
        "typeContrat": type_contrat.value,
        "typeContratLibelle": type_label,
        "natureContrat": NATURE_CONTRAT_LABELS[NatureContrat(offer.nature_contrat)],
        "experienceExige": exige.value,
        "experienceLibelle": experience_label(exige, offer.experience_mois),
        "formations": [
            {
                "niveauLibelle": NIVEAU_FORMATION_LABELS[NiveauFormation(f["niveau"])]
                if f.get("niveau")
                else None,
                "domaineLibelle": f.get("domaine"),
                "exigence": f["exigence"],
            }
            for f in offer.formations
        ],
        "langues": offer.langues,
        "permis": offer.permis,
        "competences": offer.competences,
        "nombrePostes": offer.nombre_postes,
        "accessibleTH": offer.accessible_th,
        "origineOffre": {
            "origine": ORIGIN_CODES.get(offer.origin, offer.origin),
            "urlOrigine": origin_url,
        },
    }
    if company is not None and company.naf_code:
        record["codeNAF"] = company.naf_code
    if company is not None and company.size_band:
        record["trancheEffectifEtab"] = COMPANY_SIZE_LABELS[CompanySize(company.size_band)]
    if offer.salaire_libelle:
        record["salaire"] = {"libelle": offer.salaire_libelle}
    if offer.duree_travail or offer.heures_hebdo:
        hours = f"{hours_label(offer.heures_hebdo)} " if offer.heures_hebdo else ""
        record["dureeTravailLibelle"] = f"{hours}Horaires normaux"
        if offer.duree_travail:
            converti = DUREE_TRAVAIL_LABELS[DureeTravail(offer.duree_travail)]
            record["dureeTravailLibelleConverti"] = converti
    if offer.qualification:
        label = QUALIFICATION_LABELS[Qualification(offer.qualification)]
        record["qualificationCode"] = str(offer.qualification)
        record["qualificationLibelle"] = label.split(" — ", 1)[-1]
    if offer.contact:
        contact = dict(offer.contact)
        if "coordonnees" in contact:
            contact["coordonnees1"] = contact.pop("coordonnees")
        record["contact"] = contact
    return record
