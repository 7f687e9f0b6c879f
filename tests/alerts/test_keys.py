"""The percolator index never loses a match: whenever an offer matches an alert's criteria,
the offer's keys meet the alert's keys (the index returns a superset of the matches), and
it stays selective (most non-matching alerts are not even candidates)."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from models.base import utcnow
from models.offers import Offer, OfferStatus
from refdata import ReferenceData
from resolvers.alerts.keys import alert_keys, offer_keys
from resolvers.offers.criteria import OfferCriteria, check_criteria
from resolvers.offers.explain import criteria_matches
from resolvers.offers.fields import TypeContrat

# (INSEE, ROME code, ROME label, title, description): fictional offers in real places.
PLACES = ["22070", "22278", "22113", "22168", "29019", "35238", "69381", "75101", "22004"]
JOBS = [
    ("D1102", "Boulangerie - viennoiserie", "Boulanger", "Pain au levain et viennoiseries."),
    ("D1104", "Pâtisserie, confiserie", "Pâtissier", "Entremets et chocolats."),
    ("D1106", "Vente en alimentation", "Vendeuse en boulangerie", "Accueil et encaissement."),
    ("J1501", "Soins d'hygiène, de confort du patient", "Aide-soignant", "Soins de nuit."),
    ("N4105", "Conduite et livraison", "Chauffeur livreur", "Tournées en Bretagne."),
]
CONTRACTS = [TypeContrat.CDI, TypeContrat.CDD, TypeContrat.MIS]


def make_offer(
    ref: ReferenceData, n: int, insee: str, job: tuple[str, ...], contract: str
) -> Offer:
    commune = ref.commune(insee)
    assert commune is not None
    rome, label, title, description = job
    return Offer(
        id=n,
        number=f"T{n:06d}",
        status=OfferStatus.PUBLISHED.value,
        intitule=title,
        description=description,
        commune_insee=insee,
        lieu_libelle=commune.name,
        departement=commune.departement_code,
        region=commune.region_code,
        latitude=commune.latitude,
        longitude=commune.longitude,
        rome_code=rome,
        rome_libelle=label,
        type_contrat=contract,
        nature_contrat="E1",
        experience_exige="D",
        search_extra="",
        published_at=utcnow() - timedelta(hours=1),
    )


def criteria_set(ref: ReferenceData) -> list[OfferCriteria]:
    rng = random.Random(20261127)
    wheres: list[dict[str, object]] = [
        {},
        {"departements": ("22",)},
        {"departements": ("29", "35")},
        {"region": "53"},
        {"commune_insee": "22070", "distance_km": 0},
        {"commune_insee": "22070", "distance_km": 30},
        {"commune_insee": "22278", "distance_km": 10},
        {"commune_insee": "35238", "distance_km": 200},
    ]
    whats: list[dict[str, object]] = [
        {},
        {"keywords": "boulanger"},
        {"keywords": "vendeuse boulangerie"},
        {"keywords": "soins nuit"},
        {"rome_codes": ("D1102",)},
        {"rome_codes": ("D1102", "D1104"), "keywords": "chocolats"},
        {"rome_codes": ("N4105", "J1501")},
    ]
    found = []
    for what, where in itertools.product(whats, wheres):
        contracts = rng.choice([(), (TypeContrat.CDI,), (TypeContrat.CDD, TypeContrat.MIS)])
        raw = OfferCriteria(**what, **where, types_contrat=contracts)  # type: ignore[arg-type]
        found.append(check_criteria(ref, raw))
    return found


def test_every_match_is_a_candidate_and_candidates_stay_few(
    reference_data: ReferenceData,
) -> None:
    ref = reference_data
    offers = [
        make_offer(ref, n, insee, job, contract)
        for n, (insee, job, contract) in enumerate(itertools.product(PLACES, JOBS, CONTRACTS))
    ]
    alerts = criteria_set(ref)
    alert_index = [set(alert_keys(ref, c)) for c in alerts]
    now = utcnow()
    matches = candidates = pairs = 0
    for offer in offers:
        keys = set(offer_keys(offer))
        for criteria, filed in zip(alerts, alert_index, strict=True):
            pairs += 1
            is_candidate = bool(keys & filed)
            candidates += is_candidate
            if criteria_matches(ref, criteria, offer, now):
                matches += 1
                assert is_candidate, (criteria, offer.intitule, offer.commune_insee)
    assert matches > 300  # the check above is not vacuous
    assert candidates < pairs / 2  # the index filters out most non-matching alerts
    assert matches / candidates > 0.4
