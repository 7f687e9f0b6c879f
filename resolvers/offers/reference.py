"""Lookups the offers need beyond ``refdata.ReferenceData``: départements and régions by
code, appellations by OGR code, and the place of a commune. Built once per reference data."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from math import asin, cos, radians, sin, sqrt

from refdata import DATA_DIR, Commune, JobTitle, ReferenceData

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.195  # one degree of latitude (and of longitude at the equator)


@dataclass(frozen=True, slots=True)
class Place:
    """Where an offer is: a commune with its département and région, or a département."""

    commune_insee: str | None
    postal_code: str | None
    libelle: str
    departement: str | None
    region: str | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class OfferReference:
    departements: dict[str, tuple[str, str]]  # code -> (name, région code)
    regions: dict[str, str]  # code -> name
    appellations: dict[str, JobTitle]  # OGR code -> job title

    def departement_name(self, code: str | None) -> str | None:
        found = self.departements.get(code or "")
        return found[0] if found else None

    def place_of(self, commune: Commune) -> Place:
        """FT v2's ``lieuTravail``: « 22 - Guingamp »."""
        return Place(
            commune_insee=commune.insee,
            postal_code=commune.postal_code,
            libelle=f"{commune.departement_code} - {commune.name}",
            departement=commune.departement_code,
            region=commune.region_code,
            latitude=commune.latitude,
            longitude=commune.longitude,
        )


@lru_cache(maxsize=4)
def offer_reference(ref: ReferenceData) -> OfferReference:
    """The lookups for ``ref`` (cached: the reference data is immutable)."""
    departements: dict[str, tuple[str, str]] = {}
    regions: dict[str, str] = {}
    text = gzip.decompress((DATA_DIR / "communes.tsv.gz").read_bytes()).decode("utf-8")
    for line in text.split("\n")[1:]:
        if line:
            fields = line.split("\t")
            departements[fields[4]] = (fields[5], fields[6])
            regions[fields[6]] = fields[7]
    appellations = {
        title.code_ogr: title
        for metier in ref.metiers()
        for title in ref.job_titles_for_metier(metier.code)
    }
    return OfferReference(departements, regions, appellations)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))
