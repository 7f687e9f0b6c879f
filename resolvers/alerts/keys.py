"""The percolator index of alerts: which keys an alert is filed under, which keys an offer
produces, so that one indexed lookup finds every alert an offer may match.

An alert's criteria are a conjunction. Its keys are built from two mandatory parts:

- *what*: its ROME codes (``r:D1102``), else its appellation (``a:12345``), else its rarest
  keyword stem (the longest one, ``k:boulang``), else ``*``;
- *where*: its départements (``d:22``), its région (``g:53``), the grid cells covering its
  commune + radius (``z:zg194xm13``, plus ``c:<insee>``), the commune alone when the radius is
  0 (``c:22070``), else ``*``.

The keys are the products ``what|where``; an alert with neither (say "every CDI") is filed
under its contract types (``*|*|t:CDI``) or ``*|*``. An offer produces every key an alert
that matches it must hold: its ROME code, its appellation, every stem of its text, ``*``;
times its département, région, commune, cell and ``*``. The lookup returns a small superset
of the matching alerts, which ``criteria_matches`` then checks one by one in Python.
Keys are stored as signed 64-bit BLAKE2b hashes (collisions only add candidates).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from math import cos, radians

from models.offers import Offer
from refdata import ReferenceData
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.reference import KM_PER_DEGREE
from resolvers.offers.text import geo_cells, geo_token, stem, stems

ANY = "*"


def key_hash(key: str) -> int:
    """A stable signed 64-bit hash (fits BIGINT and SQLite INTEGER)."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _what(c: OfferCriteria) -> list[str]:
    terms = c.terms
    if c.rome_codes and (len(c.rome_codes) == 1 or not terms):
        return [f"r:{code}" for code in c.rome_codes]
    if c.appellation_code:
        return [f"a:{c.appellation_code}"]
    if terms:
        return [f"k:{stem(max(terms, key=len))}"]
    return [ANY]


def _where(ref: ReferenceData, c: OfferCriteria) -> list[str]:
    if c.departements:
        return [f"d:{d}" for d in c.departements]
    if c.region:
        return [f"g:{c.region}"]
    if c.commune_insee:
        commune = ref.commune(c.commune_insee)
        radius = c.radius_km or 0
        if commune is None or commune.latitude is None or commune.longitude is None:
            return [f"c:{c.commune_insee}"]
        if radius == 0:
            return [f"c:{c.commune_insee}"]
        dlat = radius / KM_PER_DEGREE
        dlon = dlat / max(cos(radians(commune.latitude)), 0.01)
        cells = geo_cells(
            commune.latitude - dlat,
            commune.latitude + dlat,
            commune.longitude - dlon,
            commune.longitude + dlon,
        )
        if cells is None:  # a very wide radius: every place is a candidate
            return [ANY]
        return [f"c:{c.commune_insee}", *(f"z:{cell}" for cell in cells)]
    return [ANY]


def alert_key_strings(ref: ReferenceData, criteria: OfferCriteria) -> list[str]:
    """The keys an alert is filed under (readable form; see the module docstring)."""
    what, where = _what(criteria), _where(ref, criteria)
    if what == [ANY] and where == [ANY]:
        if criteria.types_contrat:
            return [f"*|*|t:{t.value}" for t in criteria.types_contrat]
        return ["*|*"]
    return sorted({f"{w}|{p}" for w in what for p in where})


def alert_keys(ref: ReferenceData, criteria: OfferCriteria) -> list[int]:
    """The hashed keys of an alert, as stored in ``alert_keys``."""
    return sorted({key_hash(k) for k in alert_key_strings(ref, criteria)})


def offer_stems(offer: Offer) -> set[str]:
    """Every keyword stem an alert's keywords can match in the offer."""
    texts: Iterable[str] = (
        offer.intitule,
        offer.rome_libelle,
        offer.appellation_libelle or "",
        offer.description,
        offer.search_extra or "",
    )
    return {s for text in texts for s in stems(text)}


def offer_key_strings(offer: Offer, stem_set: set[str] | None = None) -> list[str]:
    """Every key under which an alert matching ``offer`` can be filed."""
    what = {ANY, f"r:{offer.rome_code}"}
    if offer.appellation_code:
        what.add(f"a:{offer.appellation_code}")
    what.update(f"k:{s}" for s in (stem_set if stem_set is not None else offer_stems(offer)))
    where = {ANY}
    if offer.departement:
        where.add(f"d:{offer.departement}")
    if offer.region:
        where.add(f"g:{offer.region}")
    if offer.commune_insee:
        where.add(f"c:{offer.commune_insee}")
    if offer.latitude is not None and offer.longitude is not None:
        where.add(f"z:{geo_token(offer.latitude, offer.longitude)}")
    keys = {f"{w}|{p}" for w in what for p in where if not (w == ANY and p == ANY)}
    keys.update(("*|*", f"*|*|t:{offer.type_contrat}"))
    return sorted(keys)


def offer_keys(offer: Offer, stem_set: set[str] | None = None) -> list[int]:
    """The hashed keys to look up for ``offer``."""
    return sorted({key_hash(k) for k in offer_key_strings(offer, stem_set)})
