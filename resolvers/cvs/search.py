"""The employers' CV search: published CVs (named or anonymous) by métier, place and words.

- Métier: the CV's ROME code (``romeCodes``) or its appellation.
- Place: the commune of the CV's dossier, as it is now. A radius becomes the set of communes
  within it (from the reference data: a bounding box, then the great-circle distance,
  cached), passed to SQL as one parameter (a JSON array on SQLite, an array on PostgreSQL);
  départements match the INSEE code's prefix.
- Keywords: each word's light stem must start a word of ``cvs.search_text`` (LIKE).

Newest CV first, keyset pagination on the id; the criteria are checked like offer
criteria, so the codes and messages are the same.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from math import cos, radians

from sqlalchemy import ColumnElement, Select, String, any_, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from models.cvs import Cv, CvVisibility
from models.dossiers import Dossier
from models.identity import Account, AccountKind
from refdata import DATA_DIR, ReferenceData
from resolvers.core.errors import DomainError, ErrorCode, FieldError
from resolvers.core.paging import KeysetPage, Window, count_rows, cut, windowed
from resolvers.offers.criteria import OfferCriteria, check_criteria
from resolvers.offers.reference import KM_PER_DEGREE, haversine_km
from resolvers.offers.text import keyword_terms, stem

MAX_ID = 2**63 - 1
PUBLIC = (CvVisibility.PUBLISHED.value, CvVisibility.ANONYMOUS.value)
# check_criteria names the radius distanceKm (offers); here it is radiusKm.
_RENAMED = {"distanceKm": "radiusKm"}


@dataclass(frozen=True, slots=True)
class CvCriteria:
    """What an employer looks for; empty criteria match every published CV."""

    rome_codes: tuple[str, ...] = ()
    appellation_code: str | None = None
    commune_insee: str | None = None
    radius_km: int | None = None
    departements: tuple[str, ...] = ()
    keywords: str | None = None


@dataclass(frozen=True, slots=True)
class CvHit:
    cv: Cv
    dossier: Dossier
    distance_km: float | None


def require_employer(account: Account | None) -> None:
    if account is None or account.kind != AccountKind.EMPLOYEUR:
        raise DomainError.single(
            None, ErrorCode.WRONG_ACCOUNT_KIND, "Seuls les employeurs cherchent des CV."
        )


def check_cv_criteria(ref: ReferenceData, c: CvCriteria, prefix: str = "criteria.") -> CvCriteria:
    """Validated, normalised criteria, or a DomainError with every problem."""
    as_offer = OfferCriteria(
        keywords=c.keywords,
        rome_codes=c.rome_codes,
        appellation_code=c.appellation_code,
        commune_insee=c.commune_insee,
        distance_km=c.radius_km,
        departements=c.departements,
    )
    try:
        checked = check_criteria(ref, as_offer, prefix)
    except DomainError as e:
        raise DomainError([_renamed(error, prefix) for error in e.errors]) from None
    return CvCriteria(
        rome_codes=checked.rome_codes,
        appellation_code=checked.appellation_code,
        commune_insee=checked.commune_insee,
        radius_km=checked.radius_km,
        departements=checked.departements,
        keywords=checked.keywords,
    )


def _renamed(error: FieldError, prefix: str) -> FieldError:
    name = (error.field or "").removeprefix(prefix)
    if name in _RENAMED:
        return FieldError(prefix + _RENAMED[name], error.code, error.message)
    return error


def cvs_found(session: AsyncSession, ref: ReferenceData, c: CvCriteria) -> Select[Cv, Dossier]:
    """The published CVs matching checked criteria, with their dossiers (unordered)."""
    return (
        select(Cv, Dossier)
        .join(Dossier, Dossier.id == Cv.dossier_id)
        .where(Cv.visibility.in_(PUBLIC), *_filters(session, ref, c))
    )


async def search_cvs(
    session: AsyncSession, ref: ReferenceData, c: CvCriteria, window: Window
) -> tuple[list[CvHit], KeysetPage]:
    """One window of the published CVs matching checked criteria, newest first."""
    stmt = windowed(cvs_found(session, ref, c), Cv.id, True, window)
    page = cut((await session.execute(stmt)).all(), window)
    center = _center(ref, c)
    hits = [CvHit(cv, d, _distance(ref, center, d)) for cv, d in page.rows]
    return hits, page


async def count_cvs(session: AsyncSession, ref: ReferenceData, c: CvCriteria) -> int:
    return await count_rows(session, cvs_found(session, ref, c))


def _filters(session: AsyncSession, ref: ReferenceData, c: CvCriteria) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if c.rome_codes:
        where.append(Cv.rome_code.in_(c.rome_codes))
    if c.appellation_code:
        where.append(Cv.appellation_code == c.appellation_code)
    if c.departements:
        where.append(or_(*(Dossier.commune_insee.startswith(d) for d in c.departements)))
    if c.commune_insee:
        if not c.radius_km:
            where.append(Dossier.commune_insee == c.commune_insee)
        else:
            codes = sorted(communes_near(ref, c.commune_insee, c.radius_km))
            where.append(_in_codes(session, codes))
    for term in keyword_terms(c.keywords):
        where.append(Cv.search_text.contains(f" {stem(term)}", autoescape=True))
    return where


def _in_codes(session: AsyncSession, codes: list[str]) -> ColumnElement[bool]:
    """``dossiers.commune_insee IN codes`` with one bound parameter, however many codes."""
    if session.get_bind().dialect.name == "postgresql":
        return Dossier.commune_insee == any_(literal(codes, ARRAY(String)))
    values = func.json_each(literal(json.dumps(codes))).table_valued("value")
    return Dossier.commune_insee.in_(select(values.c.value))


def _center(ref: ReferenceData, c: CvCriteria) -> tuple[float, float] | None:
    if c.commune_insee is None:
        return None
    commune = ref.commune(c.commune_insee)
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    return commune.latitude, commune.longitude


def _distance(
    ref: ReferenceData, center: tuple[float, float] | None, dossier: Dossier
) -> float | None:
    if center is None or dossier.commune_insee is None:
        return None
    place = ref.commune(dossier.commune_insee)
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return round(haversine_km(*center, place.latitude, place.longitude), 1)


@lru_cache(maxsize=4)
def commune_points(ref: ReferenceData) -> tuple[tuple[str, float, float], ...]:
    """Every commune with coordinates, once: (INSEE code, latitude, longitude)."""
    points: dict[str, tuple[str, float, float]] = {}
    text = gzip.decompress((DATA_DIR / "communes.tsv.gz").read_bytes()).decode("utf-8")
    for line in text.split("\n")[1:]:
        fields = line.split("\t")
        if len(fields) > 9 and fields[8] and fields[9] and fields[1] not in points:
            points[fields[1]] = (fields[1], float(fields[8]), float(fields[9]))
    return tuple(points.values())


@lru_cache(maxsize=256)
def communes_near(ref: ReferenceData, insee: str, radius_km: int) -> frozenset[str]:
    """The communes within ``radius_km`` of ``insee`` (itself included)."""
    commune = ref.commune(insee)
    if commune is None or commune.latitude is None or commune.longitude is None:
        return frozenset({insee})
    lat0, lon0 = commune.latitude, commune.longitude
    dlat = radius_km / KM_PER_DEGREE
    dlon = dlat / max(cos(radians(lat0)), 0.01)
    found = {insee}
    for code, lat, lon in commune_points(ref):
        in_box = abs(lat - lat0) <= dlat and abs(lon - lon0) <= dlon
        if in_box and haversine_km(lat0, lon0, lat, lon) <= radius_km:
            found.add(code)
    return frozenset(found)
