"""Varied offer-search criteria and offer numbers for the benchmarks, and percentiles.

Keywords are métier words as people type them (with accents, feminine forms, two words),
mostly from the métiers the generator posts, and about one in ten from other ROME métiers
(no offer matches: those searches also count the relaxations). Départements and communes
are drawn like the generated offers' places (uniformly over the communes).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from bench.offers_gen import NUMBER_SPACE, _communes, bench_number
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.fields import TypeContrat

POSTED = (
    "boulanger",
    "boulangère",
    "boulanger nuit",
    "pâtissier",
    "pâtissière",
    "commis pâtissier",
    "vendeuse",
    "vendeur boulangerie",
    "épicerie fine",
    "commis de cuisine",
    "aide cuisine",
    "cuisine",
    "serveur",
    "serveuse restauration",
    "chef de rang",
    "aide-soignant",
    "aide soignante nuit",
    "infirmière",
    "infirmier bloc",
    "garde d'enfants",
    "baby-sitter",
    "développeur python",
    "développeuse web",
    "secrétaire",
    "assistante administrative",
    "comptable",
    "comptable fournisseurs",
    "conducteur poids lourd",
    "chauffeur",
    "préparatrice de commandes",
    "cariste",
    "plombier",
    "chauffagiste",
    "agent d'entretien",
    "agente de nettoyage",
)
OTHER_METIERS = ("maçon", "électricien", "coiffeuse", "jardinier", "mécanicien", "fleuriste")
CONTRACTS = (
    (TypeContrat.CDI,) * 9 + (TypeContrat.CDD,) * 7 + (TypeContrat.MIS,) * 2 + (TypeContrat.SAI,)
)


class Sampler:
    """Deterministic draws of criteria and numbers (``seed``)."""

    def __init__(self, offers: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.offers = offers
        self.communes = [(insee, dep) for insee, _, _, dep, *_ in _communes()]
        self.departements = [dep for _, dep in self.communes]

    def keywords(self) -> str:
        pool = OTHER_METIERS if self.rng.random() < 0.1 else POSTED
        return self.rng.choice(pool)

    def contract(self) -> TypeContrat:
        return self.rng.choice(CONTRACTS)

    def in_departement(self) -> OfferCriteria:
        """keywords + département + contract type."""
        return OfferCriteria(
            keywords=self.keywords(),
            departements=(self.rng.choice(self.departements),),
            types_contrat=(self.contract(),),
        )

    def around_commune(self, km: int = 30) -> OfferCriteria:
        """keywords + commune and radius + contract type."""
        return OfferCriteria(
            keywords=self.keywords(),
            commune_insee=self.rng.choice(self.communes)[0],
            distance_km=km,
            types_contrat=(self.contract(),),
        )

    def departement_only(self) -> OfferCriteria:
        return OfferCriteria(departements=(self.rng.choice(self.departements),))

    def keywords_only(self) -> OfferCriteria:
        return OfferCriteria(keywords=self.rng.choice(POSTED))

    def number(self) -> str:
        """An offer's number, or one in ten times a number nobody has."""
        if self.rng.random() < 0.1:
            return bench_number(self.rng.randrange(self.offers, NUMBER_SPACE))
        return bench_number(self.rng.randrange(self.offers))


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """n, p50, p95, p99 and max in milliseconds (nearest rank)."""
    ordered = sorted(seconds)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000, 2)

    return {
        "n": len(ordered),
        "p50_ms": rank(0.50),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "max_ms": round(ordered[-1] * 1000, 2),
    }
