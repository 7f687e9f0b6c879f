"""``python -m bench --only offers``: issue 4's offer (and alert) benchmarks, one backend at
a time, on the cached 1M-offer databases (``bench.offers_db``).

Prints a table at the end and writes ``bench/results/offers.json``.
"""

from __future__ import annotations

import json
import os
import platform
import time
from typing import Any

from bench import offers_bench
from bench.common import RESULTS
from bench.offers_db import drop_base, ensure_base, working_copy


def run(
    backends: list[str],
    offers: int,
    queries: int,
    http_queries: int,
    alerts: int,
    rebuild: bool = False,
    drop_cache: bool = False,
    keep_copy: bool = False,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "offers": offers,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    for backend in backends:
        base = ensure_base(backend, offers, rebuild)
        entry: dict[str, Any] = {"seed": base}
        began = time.perf_counter()
        with working_copy(backend, base, keep_copy) as url:
            entry["copy_and_migrate_s"] = round(time.perf_counter() - began, 1)
            entry["load_before"] = os.getloadavg()
            if queries > 0:
                entry.update(offers_bench.run(url, backend, offers, queries, http_queries))
            if alerts > 0:
                entry["alerts"] = _alerts(url, backend, offers, alerts)
            entry["load_after"] = os.getloadavg()
        if drop_cache:
            drop_base(backend)
        report[backend] = entry
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "offers.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(table(report, backends))
    return report


def _alerts(url: str, backend: str, offers: int, alerts: int) -> dict[str, Any]:
    try:
        from bench import alerts_bench
    except ImportError as e:  # the alerts resolvers are not there yet
        return {"skipped": f"alerts are not implemented yet ({e})"}
    result: dict[str, Any] = alerts_bench.run(url, backend, offers, alerts)
    return result


ALERT_ROWS = (
    ("match_offer", "match 1 offer / all alerts (stored)"),
    ("with_commit", "  the same with its transaction"),
    ("find_matches", "  lookup and checks only (read)"),
    ("candidates_lookup", "  the indexed lookup alone"),
)
ROWS = (
    ("keywords_departement_contract", "keywords + département + contrat", "search_p95"),
    ("keywords_commune_30km_contract", "keywords + commune 30 km + contrat", "search_p95"),
    ("number_lookup", "offer(number)", "number_p95"),
    ("departement_only", "département seul", None),
    ("keywords_only", "keywords seuls (France)", None),
    ("no_criteria", "aucun critère", None),
)


def _cell(figures: dict[str, Any] | None) -> str:
    if not figures:
        return f"{'-':>26}"
    return f"{figures['p50_ms']:>8} {figures['p95_ms']:>8} {figures['p99_ms']:>8}"


def table(report: dict[str, Any], backends: list[str]) -> str:
    """The figures as a text table: p50 / p95 / p99 in ms per backend and level."""
    lines = [f"Offer benchmarks, {report['offers']:,} offers (ms: p50 / p95 / p99)"]
    header = f"{'':38}" + "".join(f"{b + lvl:>26}" for b in backends for lvl in ("", " http"))
    lines.append(header)
    for key, label, target in ROWS:
        cells = [
            _cell(report[backend].get(level, {}).get(key))
            for backend in backends
            for level in ("resolver", "http")
        ]
        goal = f"  (p95 <= {offers_bench.TARGETS_MS[target]})" if target else ""
        lines.append(f"{label:38}" + "".join(f"{c:>26}" for c in cells) + goal)
    for key, label in ALERT_ROWS:
        cells = [
            _cell(report[backend].get("alerts", {}).get("matching", {}).get(key)) + f"{'':26}"
            for backend in backends
        ]
        lines.append(f"{label:38}" + "".join(f"{c:>26}" for c in cells))
    for backend in backends:
        lines.append(f"{backend} seed: {json.dumps(report[backend]['seed'])}")
        alerts = report[backend].get("alerts", {})
        for part in ("seed", "daily_digest", "skipped"):
            if part in alerts:
                lines.append(f"{backend} alerts {part}: {json.dumps(alerts[part])}")
        lines.append(f"{backend} load average before/after: {report[backend]['load_before']}"
                     f" / {report[backend]['load_after']}")  # fmt: skip
    return "\n".join(lines)
