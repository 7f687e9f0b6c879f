"""Offer search criteria as SQL, on SQLite (FTS5) and PostgreSQL (tsvector).

``compile_criteria`` gives the WHERE clauses, the ranking and the distance of a search, and
the ``*_statement`` functions the statements that ``resolvers.offers.search`` runs (total,
facets, page, relaxations).

Distance: a bounding box on the indexed latitude/longitude, then the equirectangular
distance (plain arithmetic, the same SQL on both backends; under 0.1 % from the great-circle
distance within 200 km). On SQLite, keyword searches also give FTS5 the tokens of the
départements, région, grid cells and rare contract types asked for, so that the full-text
index narrows the matches by itself (``resolvers.offers.text.filter_tokens``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import cos, radians
from operator import methodcaller
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.sql.selectable import Subquery

from models.offers import Offer, OfferStatus
from refdata import ReferenceData
from resolvers.offers.criteria import OfferCriteria
from resolvers.offers.reference import KM_PER_DEGREE
from resolvers.offers.text import fts5_filters, fts5_query, geo_cells, tsquery

S = TypeVar("S", bound="Select[*tuple[Any, ...]]")
FTS_WEIGHTS = (10.0, 3.0)  # bm25 weights of the FTS5 columns: title and métier, body
COMMON_CONTRACTS = frozenset({"CDI", "CDD", "MIS"})  # most offers: no use narrowing on them
FACET_KEYS = (Offer.type_contrat, Offer.experience_exige, Offer.qualification, Offer.departement)
Direction = Callable[[Any], Any]
ASC: Direction = methodcaller("asc")
DESC: Direction = methodcaller("desc")
SortKeys = list[tuple[Any, Direction]]  # ORDER BY expressions, each with its direction


def nearest(column: Any) -> Any:
    return column.asc().nulls_last()


@dataclass
class Compiled:
    where: list[ColumnElement[bool]]
    fts: Subquery | None = None
    fts_match: ColumnElement[bool] | None = None
    rank: ColumnElement[Any] | None = None  # lower is better
    distance2: ColumnElement[Any] | None = None
    center: tuple[float, float] | None = None

    def apply(self, stmt: S) -> S:
        if self.fts is not None:
            stmt = stmt.join(self.fts, self.fts.c.rid == Offer.id)
        return stmt.where(*self.where)

    def unranked(self) -> Compiled:
        """The same filter without the ranking (counts need no bm25)."""
        if self.fts_match is None:
            return self
        ids: Select[Any] = (
            select(column("rowid")).select_from(table("offers_fts")).where(self.fts_match)
        )
        return Compiled([*self.where, Offer.id.in_(ids)], center=self.center)


def compile_criteria(c: OfferCriteria, ref: ReferenceData, dialect: str, now: datetime) -> Compiled:
    where: list[ColumnElement[bool]] = [
        Offer.status == OfferStatus.PUBLISHED.value,
        or_(Offer.expires_at.is_(None), Offer.expires_at > now),
    ]
    compiled = Compiled(where)
    cells: list[str] | None = None
    if c.commune_insee:
        cells = _compile_place(compiled, c, ref)
    where.extend(_filters(c, now))
    terms = c.terms
    if terms and dialect == "sqlite":
        # The place (and rare contract) tokens let FTS5 narrow the keyword matches itself.
        narrowed = fts5_query(terms) + fts5_filters(
            c.departements, c.region, _selective_contracts(c), cells or ()
        )
        compiled.fts_match = literal_column("offers_fts").op("MATCH")(literal(narrowed))
        fts = table("offers_fts", column("rowid"))
        bm25 = func.bm25(literal_column("offers_fts"), *FTS_WEIGHTS)
        ranked = select(fts.c.rowid.label("rid"), bm25.label("rank"))
        compiled.fts = ranked.where(compiled.fts_match).subquery("fts")
        compiled.rank = compiled.fts.c.rank
    elif terms:
        vector: ColumnElement[Any] = literal_column("offers.search_vector")
        query = func.to_tsquery(
            literal_column("'french'::regconfig"), func.espace_unaccent(literal(tsquery(terms)))
        )
        where.append(vector.op("@@")(query))
        compiled.rank = -func.ts_rank_cd(vector, query)
    return compiled


def _selective_contracts(c: OfferCriteria) -> list[str]:
    """The contract tokens worth giving FTS5: only rare types. A common one (a third of the
    offers are CDI) makes FTS5 merge a huge doclist and bm25 walk it for its IDF (at 1M
    offers, 20 to 50 ms), to drop few rows the SQL filter drops as cheaply."""
    wanted = [t.value for t in c.types_contrat]
    return [] if COMMON_CONTRACTS.intersection(wanted) else wanted


def _filters(c: OfferCriteria, now: datetime) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if c.rome_codes:
        where.append(Offer.rome_code.in_(c.rome_codes))
    if c.appellation_code:
        where.append(Offer.appellation_code == c.appellation_code)
    if c.departements:
        where.append(Offer.departement.in_(c.departements))
    if c.region:
        where.append(Offer.region == c.region)
    if c.types_contrat:
        where.append(Offer.type_contrat.in_([t.value for t in c.types_contrat]))
    if c.natures_contrat:
        where.append(Offer.nature_contrat.in_([n.value for n in c.natures_contrat]))
    if c.experience:
        where.append(Offer.experience_exige.in_([e.value for e in c.experience]))
    if c.experience_max_mois is not None:
        where.append(
            or_(
                Offer.experience_exige == "D",
                Offer.experience_mois.is_(None),
                Offer.experience_mois <= c.experience_max_mois,
            )
        )
    if c.qualifications:
        where.append(Offer.qualification.in_([int(q) for q in c.qualifications]))
    if c.duree_travail:
        where.append(Offer.duree_travail == c.duree_travail.value)
    minimum = c.salaire_mensuel_min
    if minimum is not None:
        top = func.coalesce(Offer.salaire_mensuel_max, Offer.salaire_mensuel_min)
        where.append(top >= minimum)
    if c.published_since_days:
        where.append(Offer.published_at >= now - timedelta(days=c.published_since_days))
    return where


def _compile_place(compiled: Compiled, c: OfferCriteria, ref: ReferenceData) -> list[str] | None:
    """The radius around the commune (a bounding box on the indexed coordinates, then the
    distance); returns the grid cells of the box for FTS5 (None: too many, or no box)."""
    commune = ref.commune(c.commune_insee or "")
    assert commune is not None and c.commune_insee is not None
    radius = c.radius_km or 0
    if radius == 0 or commune.latitude is None or commune.longitude is None:
        compiled.where.append(Offer.commune_insee == c.commune_insee)
        return None
    lat0, lon0 = commune.latitude, commune.longitude
    compiled.center = (lat0, lon0)
    scale = max(cos(radians(lat0)), 0.01)
    dlat = radius / KM_PER_DEGREE
    dlon = dlat / scale
    dy = Offer.latitude - lat0
    dx = (Offer.longitude - lon0) * scale
    compiled.distance2 = dy * dy + dx * dx
    compiled.where.append(
        and_(
            Offer.latitude.between(lat0 - dlat, lat0 + dlat),
            Offer.longitude.between(lon0 - dlon, lon0 + dlon),
            compiled.distance2 <= dlat * dlat,
        )
    )
    return geo_cells(lat0 - dlat, lat0 + dlat, lon0 - dlon, lon0 + dlon)


def facets_statement(compiled: Compiled) -> Select[*tuple[Any, ...]]:
    """(type de contrat, expérience, qualification, département, count) of the matches."""
    stmt = compiled.unranked().apply(select(*FACET_KEYS, func.count()).select_from(Offer))
    return stmt.group_by(*FACET_KEYS)


def matches_statement(compiled: Compiled, keys: SortKeys, count: int) -> Select[*tuple[Any, ...]]:
    """The first ``count`` matches in order: their ids and facet values only."""
    stmt = compiled.apply(select(Offer.id, *FACET_KEYS))
    return stmt.order_by(*(direct(expr) for expr, direct in keys)).limit(count)


def page_statement(compiled: Compiled, keys: SortKeys, offset: int, limit: int) -> Select[Offer]:
    """One page of whole offers, in order. The matches are sorted on their ids and sort
    keys only, then just the page's rows are read whole (sorting whole rows, descriptions
    and JSON, cost most of a search at 1M offers)."""
    labelled = [expr.label(f"k{i}") for i, (expr, _) in enumerate(keys)]
    inner = compiled.apply(select(Offer.id.label("pid"), *labelled))
    inner = inner.order_by(*(direct(c) for c, (_, direct) in zip(labelled, keys, strict=True)))
    ids = inner.offset(offset).limit(limit).subquery("page")
    outer = [direct(ids.c[f"k{i}"]) for i, (_, direct) in enumerate(keys)]
    return select(Offer).join(ids, ids.c.pid == Offer.id).order_by(*outer)
