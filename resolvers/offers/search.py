"""Offer search: the total, the facets (FT v2's ``filtresPossibles``), one page of offers
and, for few results, the criteria to relax (the SQL is ``resolvers.offers.query``'s).

Queries per search, ranked by relevance or distance (``_one_pass``): one for the matches in
order (ids and facet values; with up to ``ONE_PASS`` matches the total and the facets are
counted from it), one GROUP BY for the total and the facets of bigger result sets, one for
the page's offers; newest first (``_newest_first``): the GROUP BY and the page. Then one
for what each relaxed criterion would add when fewer than ``RELAX_BELOW`` offers match (one
per criterion around a commune without a radius); on PostgreSQL, first, a SET for custom
plans (``custom_plans``). Distances shown are haversine, computed in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from models.offers import Offer
from refdata import ReferenceData
from resolvers.offers.criteria import MAX_DISTANCE_KM, OfferCriteria
from resolvers.offers.query import (
    ASC,
    DESC,
    Compiled,
    SortKeys,
    compile_criteria,
    facets_statement,
    matches_statement,
    nearest,
    page_statement,
)
from resolvers.offers.reference import haversine_km
from resolvers.offers.results import (
    FacetCount,
    Facets,
    OfferSort,
    Relaxation,
    SearchHit,
    SearchResult,
)

RELAX_BELOW = 10
MAX_WINDOW = 3000  # results that can be paged through; narrow the criteria beyond
ONE_PASS = 1000  # up to this many matches, one statement finds the page, total and facets


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def custom_plans(session: AsyncSession) -> None:
    """On PostgreSQL, plan this transaction's statements for their values. A prepared
    statement (asyncpg's, cached by SQLAlchemy) gets a generic plan after five runs, and
    for a search the best plan depends on how rare the keywords and how big the area are:
    at 1M offers a count took 0.3 ms with its own plan and 200 to 350 ms with the generic
    one."""
    if _dialect(session) == "postgresql":
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


async def count_offers(
    session: AsyncSession, ref: ReferenceData, criteria: OfferCriteria, now: datetime
) -> int:
    await custom_plans(session)
    return await _count(session, ref, criteria, now)


async def _count(
    session: AsyncSession, ref: ReferenceData, criteria: OfferCriteria, now: datetime
) -> int:
    compiled = compile_criteria(criteria, ref, _dialect(session), now).unranked()
    stmt = compiled.apply(select(func.count()).select_from(Offer))
    return int(await session.scalar(stmt) or 0)


def _tally(groups: Iterable[Sequence[Any]]) -> tuple[int, Facets]:
    """The total and the facets of (type de contrat, expérience, qualification, département,
    count) rows."""
    counts: list[dict[str, int]] = [{}, {}, {}, {}]
    total = 0
    for *values, count in groups:
        total += count
        for index, value in enumerate(values):
            if value is not None:
                counts[index][str(value)] = counts[index].get(str(value), 0) + count

    def ordered(found: dict[str, int]) -> list[FacetCount]:
        return [FacetCount(v, n) for v, n in sorted(found.items(), key=lambda i: (-i[1], i[0]))]

    return total, Facets(*(ordered(found) for found in counts))


async def _facets(session: AsyncSession, compiled: Compiled) -> tuple[int, Facets]:
    return _tally((await session.execute(facets_statement(compiled))).all())


async def _in_order(session: AsyncSession, ids: list[int]) -> list[Offer]:
    if not ids:
        return []
    found = {o.id: o for o in (await session.scalars(select(Offer).where(Offer.id.in_(ids))))}
    return [found[i] for i in ids if i in found]


async def search_offers(
    session: AsyncSession,
    ref: ReferenceData,
    criteria: OfferCriteria,
    *,
    sort: OfferSort,
    offset: int,
    limit: int,
    now: datetime,
) -> SearchResult:
    """One page of the published offers matching ``criteria`` (checked beforehand)."""
    await custom_plans(session)
    compiled = compile_criteria(criteria, ref, _dialect(session), now)
    limit = max(0, min(limit, MAX_WINDOW - offset))
    keys = _sort_keys(compiled, sort)
    if keys[0][0] is Offer.published_at:
        total, facets, page = await _newest_first(session, compiled, keys, offset, limit)
    else:
        total, facets, page = await _one_pass(session, compiled, keys, offset, limit)
    has_next = len(page) > limit and offset + limit < MAX_WINDOW
    hits = [SearchHit(o, _distance(compiled, o)) for o in page[:limit]]
    relaxations = []
    if total < RELAX_BELOW:
        relaxations = await _relaxations(session, ref, criteria, total, now)
    return SearchResult(hits, total, facets, has_next, relaxations)


Counted = tuple[int, Facets, list[Offer]]  # total, facets, the page and one more offer


async def _one_pass(
    session: AsyncSession, compiled: Compiled, keys: SortKeys, offset: int, limit: int
) -> Counted:
    """Ranked by relevance or distance: one statement reads the matches in order, as ids and
    facet values, up to the page's end or ``ONE_PASS`` of them; when they are all there,
    the total and the facets are counted from them (the full-text lookup, the costly part,
    runs once); only bigger result sets are counted again by a GROUP BY."""
    wanted = max(ONE_PASS, offset + limit if limit else 0) + 1
    matches = (await session.execute(matches_statement(compiled, keys, wanted))).all()
    if len(matches) < wanted:
        total, facets = _tally((*m[1:], 1) for m in matches)
    else:
        total, facets = await _facets(session, compiled)
    page: list[Offer] = []
    if offset < min(total, MAX_WINDOW) and limit > 0:
        page = await _in_order(session, [m[0] for m in matches[offset : offset + limit + 1]])
    return total, facets, page


async def _newest_first(
    session: AsyncSession, compiled: Compiled, keys: SortKeys, offset: int, limit: int
) -> Counted:
    """Newest first: the publication date index gives that order, and reading a thousand
    matches along it can mean walking far; the GROUP BY counts, the page stops early."""
    total, facets = await _facets(session, compiled)
    page: list[Offer] = []
    if offset < min(total, MAX_WINDOW) and limit > 0:
        stmt = page_statement(compiled, keys, offset, limit + 1)
        page = list((await session.scalars(stmt)).all())
    return total, facets, page


def _sort_keys(compiled: Compiled, sort: OfferSort) -> SortKeys:
    recent: SortKeys = [(Offer.published_at, DESC), (Offer.id, DESC)]
    if sort == OfferSort.RELEVANCE and compiled.rank is not None:
        return [(compiled.rank, ASC), *recent]
    if sort == OfferSort.DISTANCE and compiled.distance2 is not None:
        return [(compiled.distance2, nearest), *recent]
    return recent


def _distance(compiled: Compiled, offer: Offer) -> float | None:
    if compiled.center is None:
        return None
    if offer.latitude is None or offer.longitude is None:
        return 0.0
    return round(haversine_km(*compiled.center, offer.latitude, offer.longitude), 1)


def relaxed_variants(c: OfferCriteria) -> list[tuple[str, str, OfferCriteria]]:
    """The criteria to relax, as (kind, French label, relaxed criteria)."""
    variants = []
    radius = c.radius_km
    if radius is not None and radius < MAX_DISTANCE_KM:
        wider = min(max(radius * 2, 10), MAX_DISTANCE_KM)
        variants.append(("DISTANCE", f"{wider} km", c.replace(distance_km=wider)))
    if c.types_contrat or c.natures_contrat:
        relaxed = c.replace(types_contrat=(), natures_contrat=())
        variants.append(("CONTRACT", "Tous types de contrats", relaxed))
    if c.experience or c.experience_max_mois is not None:
        relaxed = c.replace(experience=(), experience_max_mois=None)
        variants.append(("EXPERIENCE", "Toute expérience", relaxed))
    if c.salaire_min is not None:
        variants.append(("SALARY", "Sans salaire minimum", c.replace(salaire_min=None)))
    if c.published_since_days is not None:
        relaxed = c.replace(published_since_days=None)
        variants.append(("PUBLISHED_SINCE", "Toutes dates de publication", relaxed))
    return variants


async def _relaxations(
    session: AsyncSession, ref: ReferenceData, c: OfferCriteria, total: int, now: datetime
) -> list[Relaxation]:
    variants = relaxed_variants(c)
    if not variants:
        return []
    if c.commune_insee is not None and not c.radius_km:
        # The commune alone and the 10 km around it do not contain one another.
        counts = [await _count(session, ref, r, now) for _, _, r in variants]
    else:
        counts = await _count_together(session, ref, c, variants, now)
    return [
        Relaxation(kind, label, relaxed, count - total)
        for (kind, label, relaxed), count in zip(variants, counts, strict=True)
        if count > total
    ]


async def _count_together(
    session: AsyncSession,
    ref: ReferenceData,
    c: OfferCriteria,
    variants: list[tuple[str, str, OfferCriteria]],
    now: datetime,
) -> list[int]:
    """How many offers each relaxed variant matches, in one statement: over the offers
    matching every relaxation at once (each variant's superset: they share the other
    criteria, keywords first), one filtered count per variant. The filters leave out
    SQLite's full-text condition: the keywords are the same for all, and its place and
    contract tokens only repeat the SQL filters."""
    dialect = _dialect(session)
    widest = c
    for _, _, relaxed in variants:
        widest = widest.replace(**_changes(c, relaxed))
    counts = [
        func.count().filter(and_(*compile_criteria(r, ref, dialect, now).where))
        for _, _, r in variants
    ]
    stmt = compile_criteria(widest, ref, dialect, now).unranked().apply(select(*counts))
    return list((await session.execute(stmt.select_from(Offer))).one())


def _changes(c: OfferCriteria, relaxed: OfferCriteria) -> dict[str, Any]:
    return {
        f.name: getattr(relaxed, f.name)
        for f in fields(relaxed)
        if getattr(relaxed, f.name) != getattr(c, f.name)
    }
