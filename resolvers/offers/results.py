"""What an offer search answers: the sort, the facets, the relaxations, the hits and the
result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from models.offers import Offer
from resolvers.offers.criteria import OfferCriteria


class OfferSort(StrEnum):
    RELEVANCE = "RELEVANCE"
    DATE = "DATE"
    DISTANCE = "DISTANCE"


class RelaxationKind(StrEnum):
    DISTANCE = "DISTANCE"
    CONTRACT = "CONTRACT"
    EXPERIENCE = "EXPERIENCE"
    SALARY = "SALARY"
    PUBLISHED_SINCE = "PUBLISHED_SINCE"


@dataclass(frozen=True, slots=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    type_contrat: list[FacetCount]
    experience: list[FacetCount]
    qualification: list[FacetCount]
    departement: list[FacetCount]


@dataclass(frozen=True, slots=True)
class Relaxation:
    """One criterion to relax, and how many more offers that would give."""

    kind: str
    label: str
    criteria: OfferCriteria
    added: int

    @property
    def message(self) -> str:
        return f"{self.label} : +{self.added} offre{'s' if self.added > 1 else ''}"


@dataclass(frozen=True, slots=True)
class SearchHit:
    offer: Offer
    distance_km: float | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: Facets
    has_next: bool
    relaxations: list[Relaxation] = field(default_factory=list)
