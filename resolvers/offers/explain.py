"""Why an offer matches criteria: keywords (and where), métier, distance, contract,
qualification, salary. ``criteria_matches`` is the same test in Python, for one offer (the
SQL search and, later, alert matching use the same semantics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from models.offers import Offer, OfferStatus
from refdata import ReferenceData
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.fields import TYPE_CONTRAT_LABELS, TypeContrat
from resolvers.offers.reference import haversine_km
from resolvers.offers.text import stem, stems


class MatchField(StrEnum):
    TITLE = "TITLE"
    METIER = "METIER"
    DESCRIPTION = "DESCRIPTION"


TITLE, METIER, DESCRIPTION = MatchField.TITLE, MatchField.METIER, MatchField.DESCRIPTION


@dataclass(frozen=True, slots=True)
class KeywordMatch:
    keyword: str
    fields: list[MatchField]


@dataclass(frozen=True, slots=True)
class MatchExplanation:
    keywords: list[KeywordMatch]
    metier: str | None
    distance_km: float | None
    contract: str | None
    qualification: int | None
    salary: str | None
    reasons: list[str]


def keyword_matches(terms: list[str], offer: Offer) -> list[KeywordMatch]:
    """Where each keyword occurs in the offer (light stems, on both backends)."""
    if not terms:
        return []
    where = {
        TITLE: set(stems(offer.intitule)),
        METIER: set(stems(f"{offer.rome_libelle} {offer.appellation_libelle or ''}")),
        DESCRIPTION: set(stems(f"{offer.description} {offer.search_extra}")),
    }
    found = []
    for term in terms:
        key = stem(term)
        places = [name for name, keys in where.items() if key in keys]
        if places:
            found.append(KeywordMatch(term, places))
    return found


def distance_from(ref: ReferenceData, insee: str | None, offer: Offer) -> float | None:
    commune = ref.commune(insee) if insee else None
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    if offer.latitude is None or offer.longitude is None:
        return 0.0 if offer.commune_insee == insee else None
    return round(
        haversine_km(commune.latitude, commune.longitude, offer.latitude, offer.longitude), 1
    )


def explain(
    ref: ReferenceData, criteria: OfferCriteria, offer: Offer, distance_km: float | None
) -> MatchExplanation:
    keywords = keyword_matches(criteria.terms, offer)
    reasons = []
    for match in keywords:
        places = {TITLE: "l'intitulé", METIER: "le métier", DESCRIPTION: "la description"}

        where = ", ".join(places[p] for p in match.fields)
        reasons.append(f"« {match.keyword} » dans {where}")
    metier = None
    if (
        criteria.rome_codes
        or criteria.appellation_code
        or any(METIER in k.fields for k in keywords)
    ):
        metier = f"{offer.rome_code} {offer.rome_libelle}"
        reasons.append(f"Métier : {metier}")
    if distance_km is not None:
        reasons.append(f"À {distance_km:.1f} km".replace(".", ","))
    contract = None
    if criteria.types_contrat or criteria.natures_contrat:
        contract = offer.type_contrat
        reasons.append(f"Contrat : {TYPE_CONTRAT_LABELS[TypeContrat(offer.type_contrat)]}")
    qualification = None
    if criteria.qualifications:
        qualification = offer.qualification
        reasons.append(f"Qualification : {offer.qualification}")
    salary = None
    if criteria.salaire_min is not None:
        salary = offer.salaire_libelle
        reasons.append(f"Salaire : {offer.salaire_libelle}")
    return MatchExplanation(keywords, metier, distance_km, contract, qualification, salary, reasons)


def criteria_matches(
    ref: ReferenceData,
    criteria: OfferCriteria,
    offer: Offer,
    now: datetime,
    offer_stems: set[str] | None = None,
) -> bool:
    """Whether a published offer matches ``criteria`` (keywords by light stems).

    ``offer_stems`` (every stem of the offer's texts) saves recomputing them when one offer
    is checked against many criteria."""
    terms = criteria.terms
    if offer_stems is not None:
        keywords_found = all(stem(t) in offer_stems for t in terms)
    else:
        keywords_found = len(keyword_matches(terms, offer)) == len(terms)
    checks = [
        offer.status == OfferStatus.PUBLISHED,
        offer.expires_at is None or offer.expires_at > now,
        keywords_found,
        not criteria.rome_codes or offer.rome_code in criteria.rome_codes,
        not criteria.appellation_code or offer.appellation_code == criteria.appellation_code,
        not criteria.departements or offer.departement in criteria.departements,
        not criteria.region or offer.region == criteria.region,
        not criteria.types_contrat or offer.type_contrat in criteria.types_contrat,
        not criteria.natures_contrat or offer.nature_contrat in criteria.natures_contrat,
        not criteria.experience or offer.experience_exige in criteria.experience,
        not criteria.qualifications or offer.qualification in criteria.qualifications,
        not criteria.duree_travail or offer.duree_travail == criteria.duree_travail,
    ]
    if criteria.experience_max_mois is not None:
        months = offer.experience_mois
        checks.append(
            offer.experience_exige == "D"
            or months is None
            or months <= criteria.experience_max_mois
        )
    minimum = criteria.salaire_mensuel_min
    if minimum is not None:
        top = offer.salaire_mensuel_max or offer.salaire_mensuel_min
        checks.append(top is not None and top >= minimum)
    if criteria.published_since_days:
        since = now - timedelta(days=criteria.published_since_days)
        checks.append(offer.published_at is not None and offer.published_at >= since)
    if criteria.commune_insee:
        radius = criteria.radius_km or 0
        distance = distance_from(ref, criteria.commune_insee, offer)
        same = offer.commune_insee == criteria.commune_insee
        checks.append(same or (distance is not None and distance <= radius + 0.05))
    return all(checks)
