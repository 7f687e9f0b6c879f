"""Offer search at 1M offers (issue 4), on one backend: resolver level and over HTTP.

- ``offerSearch`` with keywords + département + contract type, and with keywords + commune
  + 30 km + contract type: ``check_criteria`` then ``search_offers`` on a fresh read session
  per query, as the GraphQL field runs them (target p95 <= 50 ms). The SQL time is split
  by statement (``StatementClock``).
- ``offer(number)``: ``offer_by_number`` and ``visible_to`` (target p95 <= 5 ms).
- Broader searches (one département, keywords in all France, no criteria), fewer of them:
  what the facets and the total cost when many offers match.
- A smaller sample of the same through HTTP (``espace serve``, one worker,
  ``graphql/operations/OfferSearchAdvanced.graphql`` and ``OfferByNumber.graphql``).

Warm caches: the working copy is read into the OS page cache first (``offers_db.prewarm``),
and each kind first runs ``WARMUP`` queries that are not counted.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import event

from bench.common import ROOT, SECRET, server
from bench.offers_sample import Sampler, percentiles
from ground.runtime import Runtime
from ground.settings import Settings
from models.base import utcnow
from resolvers.offers import manage as offers
from resolvers.offers.criteria import OfferCriteria, check_criteria
from resolvers.offers.results import OfferSort
from resolvers.offers.search import search_offers

WARMUP = 20
PAGE = 20
TARGETS_MS = {"search_p95": 50, "number_p95": 5}
OPERATIONS = ROOT / "graphql" / "operations"


class StatementClock:
    """SQL time per kind of statement of one search: the ordered matches, the GROUP BY of
    the facets (big result sets only), the page's offers and the relaxation counts."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._started: list[float] = []

    def before(self, *_args: Any) -> None:
        self._started.append(time.perf_counter())

    def after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        kind = (
            "facets"
            if "GROUP BY" in statement
            else "relax"
            if "count(" in statement
            else "matches"
            if "LIMIT" in statement
            else "rows"
        )
        spent = time.perf_counter() - self._started.pop()
        self.spent[kind] = self.spent.get(kind, 0.0) + spent

    def take(self) -> dict[str, float]:
        spent, self.spent = self.spent, {}
        return spent


async def _searches(
    runtime: Runtime,
    draw: Callable[[], OfferCriteria],
    count: int,
    clock: StatementClock,
) -> dict[str, Any]:
    ref = runtime.refdata
    samples: list[float] = []
    totals: list[int] = []
    parts: dict[str, list[float]] = {"matches": [], "facets": [], "rows": [], "relax": []}
    for index in range(WARMUP + count):
        criteria = draw()
        began = time.perf_counter()
        async with runtime.read_sessionmaker() as session:
            checked = check_criteria(ref, criteria)
            result = await search_offers(
                session, ref, checked, sort=OfferSort.RELEVANCE, offset=0, limit=PAGE, now=utcnow()
            )
        elapsed = time.perf_counter() - began
        spent = clock.take()
        if index < WARMUP:
            continue
        samples.append(elapsed)
        totals.append(result.total)
        for kind, values in parts.items():
            values.append(spent.get(kind, 0.0))
    return {
        **percentiles(samples),
        "sql_p95_ms": {k: percentiles(v)["p95_ms"] for k, v in parts.items()},
        "total_count": {
            "median": statistics.median(totals),
            "max": max(totals),
            "zero_share": round(sum(t == 0 for t in totals) / len(totals), 2),
        },
    }


async def _numbers(runtime: Runtime, sampler: Sampler, count: int) -> dict[str, Any]:
    samples: list[float] = []
    found = 0
    for index in range(WARMUP + count):
        number = sampler.number()
        began = time.perf_counter()
        async with runtime.read_sessionmaker() as session:
            row = await offers.offer_by_number(session, number)
            visible = row is not None and offers.visible_to(row, None, utcnow())
        elapsed = time.perf_counter() - began
        if index >= WARMUP:
            samples.append(elapsed)
            found += visible
    return {**percentiles(samples), "found": found}


async def _resolver_level(url: str, offers_count: int, queries: int) -> dict[str, Any]:
    runtime = Runtime.create(Settings(database_url=url, secret_key=SECRET, outbox_enabled=False))
    clock = StatementClock()
    event.listen(runtime.engine.sync_engine, "before_cursor_execute", clock.before)
    event.listen(runtime.engine.sync_engine, "after_cursor_execute", clock.after)
    sampler = Sampler(offers_count)
    broad = max(10, queries // 20)
    kinds: dict[str, tuple[Callable[[], OfferCriteria], int]] = {
        "keywords_departement_contract": (sampler.in_departement, queries),
        "keywords_commune_30km_contract": (sampler.around_commune, queries),
        "departement_only": (sampler.departement_only, broad),
        "keywords_only": (sampler.keywords_only, broad),
        "no_criteria": (OfferCriteria, broad),
    }
    out: dict[str, Any] = {}
    try:
        for name, (draw, count) in kinds.items():
            out[name] = await _searches(runtime, draw, count, clock)
            _say(f"  {name}: {out[name]}")
        out["number_lookup"] = await _numbers(runtime, sampler, queries)
        _say(f"  number_lookup: {out['number_lookup']}")
    finally:
        await runtime.close()
    return out


def _http_level(url: str, offers_count: int, queries: int) -> dict[str, Any]:
    search = (OPERATIONS / "OfferSearchAdvanced.graphql").read_text(encoding="utf-8")
    lookup = (OPERATIONS / "OfferByNumber.graphql").read_text(encoding="utf-8")
    sampler = Sampler(offers_count, seed=11)
    kinds: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
        "keywords_departement_contract": lambda: (
            search,
            {"criteria": sampler.in_departement().to_json()},
        ),
        "keywords_commune_30km_contract": lambda: (
            search,
            {"criteria": sampler.around_commune().to_json()},
        ),
        "number_lookup": lambda: (lookup, {"number": sampler.number()}),
    }
    out: dict[str, Any] = {}
    with server(url) as base, httpx.Client(base_url=base, timeout=60) as client:
        for name, draw in kinds.items():
            samples = []
            for index in range(WARMUP + queries):
                query, variables = draw()
                began = time.perf_counter()
                response = client.post("/graphql", json={"query": query, "variables": variables})
                elapsed = time.perf_counter() - began
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    raise RuntimeError(f"{name}: {response.status_code} {body}")
                if index >= WARMUP:
                    samples.append(elapsed)
            out[name] = percentiles(samples)
            _say(f"  http {name}: {out[name]}")
    return out


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(
    url: str, backend: str, offers_count: int, queries: int, http_queries: int
) -> dict[str, Any]:
    """The searches and lookups of issue 4 on the database at ``url``."""
    _say(f"{backend}: resolver level, {queries} queries per kind")
    result: dict[str, Any] = {
        "resolver": asyncio.run(_resolver_level(url, offers_count, queries)),
        "targets_ms": TARGETS_MS,
    }
    if http_queries > 0:
        _say(f"{backend}: over HTTP, {http_queries} queries per kind")
        result["http"] = _http_level(url, offers_count, http_queries)
    return result
