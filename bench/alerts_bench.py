"""Alerts at 1M (issue 4), on one backend, next to the 1M offers.

1. ``bench.alerts_gen`` writes the alerts with their keys, candidats and pending matches.
2. New offers are inserted, then each is matched the way publishing one does
   (``resolvers.alerts.matching.match_offer`` in a write transaction: candidates from the
   percolator keys, criteria checked in Python, matches, dashboard events and instant
   mails stored; with and without the commit), and read only (``find_matches``: the
   lookup and the checks alone; ``candidates``: the indexed lookup alone). Target <= 20 ms.
3. The daily digest (``resolvers.alerts.digest.run_digest``) runs once over every pending
   match: total time.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from typing import Any

from sqlalchemy import func, select

from bench.alerts_gen import generate_alerts
from bench.common import SECRET
from bench.offers_gen import generate_offers
from bench.offers_sample import percentiles
from ground.db import begin_write
from ground.runtime import Runtime
from ground.settings import Settings
from models.alerts import AlertFrequency, AlertMatch
from models.base import utcnow
from models.offers import Offer
from resolvers.alerts.digest import run_digest
from resolvers.alerts.matching import candidates, find_matches, match_offer

WARMUP = 10
NEW_OFFERS = 150
TARGET_MS = 20


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def _new_offers(runtime: Runtime, offers: int, count: int) -> list[int]:
    """``count`` more generated offers (other draws, numbers after the first ``offers``)."""
    await generate_offers(runtime.engine, count, seed=2024, start=offers)
    async with runtime.read_sessionmaker() as session:
        stmt = select(Offer.id).order_by(Offer.id.desc()).limit(count)
        return sorted((await session.scalars(stmt)).all())


async def _match(runtime: Runtime, ids: list[int]) -> dict[str, Any]:
    """Each offer: ``match_offer`` in a write transaction as publishing runs it, then, read
    only, ``find_matches`` (the lookup and the checks, nothing stored) and the candidates."""
    timings: dict[str, list[float]] = {
        "match_offer": [],
        "with_commit": [],
        "find_matches": [],
        "candidates_lookup": [],
    }
    matched: list[int] = []
    found: list[int] = []
    for index, offer_id in enumerate(ids):
        began = time.perf_counter()
        async with runtime.sessionmaker() as session, session.begin():
            await begin_write(session)
            offer = await session.get(Offer, offer_id)
            assert offer is not None
            start = time.perf_counter()
            count = await match_offer(session, runtime, offer)
            matching = time.perf_counter() - start
        committed = time.perf_counter() - began
        async with runtime.read_sessionmaker() as session:
            offer = await session.get(Offer, offer_id)
            assert offer is not None
            start = time.perf_counter()
            await find_matches(session, runtime.refdata, offer, utcnow())
            finding = time.perf_counter() - start
            start = time.perf_counter()
            candidates_count = len(await candidates(session, offer))
            lookup = time.perf_counter() - start
        if index < WARMUP:
            continue
        for name, value in (
            ("match_offer", matching),
            ("with_commit", committed),
            ("find_matches", finding),
            ("candidates_lookup", lookup),
        ):
            timings[name].append(value)
        matched.append(count)
        found.append(candidates_count)
    return {
        **{name: percentiles(values) for name, values in timings.items()},
        "candidates_per_offer": _spread(found),
        "matches_per_offer": _spread(matched),
        "target_ms": TARGET_MS,
    }


def _spread(values: list[int]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "max": ordered[-1],
    }


async def _digest(runtime: Runtime) -> dict[str, Any]:
    async with runtime.read_sessionmaker() as session:
        pending = (
            await session.execute(
                select(func.count(), func.count(func.distinct(AlertMatch.alert_id))).where(
                    AlertMatch.sent_at.is_(None)
                )
            )
        ).one()
    began = time.perf_counter()
    report = await run_digest(runtime, AlertFrequency.DAILY, utcnow())
    seconds = time.perf_counter() - began
    return {
        "pending_matches_before": pending[0],
        "alerts_with_pending_before": pending[1],
        "alerts": report.alerts,
        "mails": report.mails,
        "offers_listed": report.offers,
        "total_s": round(seconds, 1),
        "mails_per_s": round(report.mails / seconds) if seconds else None,
    }


async def _run(url: str, offers: int, alerts: int) -> dict[str, Any]:
    runtime = Runtime.create(Settings(database_url=url, secret_key=SECRET, outbox_enabled=False))
    out: dict[str, Any] = {}
    try:
        began = time.perf_counter()
        generated = await generate_alerts(url, runtime.refdata, alerts)
        out["seed"] = {**vars(generated), "seconds": round(time.perf_counter() - began, 1)}
        _say(f"  alerts seeded: {out['seed']}")
        ids = await _new_offers(runtime, offers, NEW_OFFERS)
        out["matching"] = await _match(runtime, ids)
        _say(f"  matching: {out['matching']}")
        out["daily_digest"] = await _digest(runtime)
        _say(f"  daily digest: {out['daily_digest']}")
    finally:
        await runtime.close()
    return out


def run(url: str, backend: str, offers: int, alerts: int) -> dict[str, Any]:
    _say(f"{backend}: {alerts:,} alerts")
    return asyncio.run(_run(url, offers, alerts))
