"""Soak run (issue 9): ``python -m bench --only soak [--duration 600] [--sockets 1000]``.

One ``espace serve`` worker on a fresh PostgreSQL database (``--soak-backend sqlite`` for
SQLite) seeded with as many candidats as sockets, plus a few for the fuzz documents. A
client process (bench.soak_client) holds ``--sockets`` authenticated sockets subscribed to
``dashboardEvents`` for the whole run, and sends about ``--soak-rate`` (100) mixed HTTP
requests per second for ``--duration`` seconds, a fifth of them from the fuzz corpus
(bench.soak_fuzz, hypothesis-graphql over our schema).

Reported (stdout and ``bench/results/soak.json``): errors (target 0) by kind with the first
few, the server's RSS over time and its slope in MiB per minute (target flat, measured after
the first fifth of the run), p50/p99 latency per window (a minute, or 10 s for runs shorter
than 5 minutes), events pushed to the sockets, and the server's own request counts by
outcome, scraped from its /metrics.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench import live
from bench.common import RESULTS, SECRET, database, python, server
from bench.seed import seed
from bench.soak_fuzz import corpus
from ground.db import create_engine
from ground.passwords import Hasher
from ground.settings import Settings

OUT = RESULTS / "soak.json"
FUZZ_ACCOUNTS = 20


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1)


def slope_per_minute(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, MiB), in MiB per minute."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    cov = sum((t - mean_t) * (v - mean_v) for t, v in points)
    return round(cov / var * 60, 3) if var else None


def _windows(records: list[list[Any]], start: float, window: float) -> list[dict[str, Any]]:
    by_window: dict[int, list[list[Any]]] = {}
    for record in records:
        by_window.setdefault(int((record[0] - start) // window), []).append(record)
    rows = []
    for index in sorted(by_window):
        group = by_window[index]
        latencies = [r[1] for r in group]
        rows.append(
            {
                "from_s": round(index * window),
                "requests": len(group),
                "errors": sum(1 for r in group if r[3]),
                "p50_ms": _pct(latencies, 0.5),
                "p99_ms": _pct(latencies, 0.99),
                "max_ms": _pct(latencies, 1.0),
            }
        )
    return rows


def _rss(samples: list[list[float]], start: float, duration: float) -> dict[str, Any]:
    points = [(t - start, mib) for t, mib, _cpu in samples]
    settled = [(t, v) for t, v in points if t >= duration / 5]
    values = [v for _, v in points]
    return {
        "start_mib": round(values[0], 1) if values else None,
        "end_mib": round(values[-1], 1) if values else None,
        "max_mib": round(max(values), 1) if values else None,
        "slope_mib_per_min_all": slope_per_minute(points),
        "slope_mib_per_min_after_warmup": slope_per_minute(settled),
        "samples": [[round(t, 1), round(v, 1)] for t, v in points],
    }


def _server_outcomes(base: str) -> dict[str, float]:
    text = httpx.get(base + "/metrics", timeout=10).text
    outcomes: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "espace_graphql_requests_total":
                outcomes[sample.labels["outcome"]] += sample.value
    return dict(outcomes)


def _client(base: str, spec: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        spec_file, out = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_file.write_text(json.dumps(spec))
        timeout = spec["duration"] + 600
        subprocess.run(
            [python(), "-m", "bench.soak_client", base, str(spec_file), "--out", str(out)],
            check=True,
            timeout=timeout,
        )
        result: dict[str, Any] = json.loads(out.read_text())
        return result


def run(
    duration: float = 600.0,
    sockets: int = 1000,
    rate: float = 100.0,
    backend: str = "postgres",
    corpus_size: int = 300,
) -> dict[str, Any]:
    """Seed, serve, load, and report (see the module docstring)."""
    live.raise_nofile()
    window = 60.0 if duration >= 300 else 10.0
    documents = corpus(corpus_size)
    with database(backend) as url:

        async def do_seed() -> list[str]:
            engine = create_engine(Settings(database_url=url, secret_key=SECRET))
            try:
                seeded = await seed(
                    engine, SECRET, sockets + FUZZ_ACCOUNTS, 1, Hasher(2, 19 * 1024, 1)
                )
                return seeded.tokens
            finally:
                await engine.dispose()

        tokens = asyncio.run(do_seed())
        env = {"ESPACE_WS_INIT_TIMEOUT": "60"}
        with server(url, workers=1, extra_env=env) as base:
            pid = live._server_pid(base)
            spec = {
                "server_pid": pid,
                "rate": rate,
                "duration": duration,
                "rss_every": 5.0 if duration >= 120 else 2.0,
                "socket_tokens": tokens[:sockets],
                "http_tokens": tokens[:sockets],
                "fuzz_tokens": tokens[sockets:],
                "corpus": documents,
            }
            load_before = os.getloadavg()[0]
            began = time.monotonic()
            raw = _client(base, spec)
            wall = time.monotonic() - began
            outcomes = _server_outcomes(base)
    records = raw["records"]
    errors = [r for r in records if r[3]]
    by_kind = Counter(r[2] for r in errors)
    latencies = [r[1] for r in records]
    report: dict[str, Any] = {
        "command": f"python -m bench --only soak --duration {duration:g} --sockets {sockets}",
        "backend": backend,
        "cores": os.cpu_count(),
        "load_avg_1m_before": round(load_before, 2),
        "sockets": sockets,
        "sockets_connect_s": raw["connect_s"],
        "sockets_open_at_end": raw["sockets_open_at_end"],
        "socket_errors": len(raw["socket_errors"]),
        "socket_error_samples": raw["socket_errors"][:5],
        "http_offered_rps": rate,
        "http_requests": len(records),
        "http_achieved_rps": round(len(records) / duration, 1),
        "http_errors": len(errors),
        "http_errors_by_kind": dict(by_kind),
        "http_error_samples": [r[3] for r in errors[:5]],
        "errors_total": len(errors) + len(raw["socket_errors"]),
        "fuzz_documents": len(documents),
        "dossier_updates_ok": raw["updates_ok"],
        "events_pushed_to_sockets": raw["events_on_sockets"],
        "events_missing": max(0, raw["updates_ok"] - raw["events_on_sockets"]),
        "p50_ms": _pct(latencies, 0.5),
        "p99_ms": _pct(latencies, 0.99),
        # CPU the server used from the first request to the last answer: per request, and as
        # a share of one core (2 cores shared with whatever else runs on the machine).
        "server_cpu_ms_per_request": round(raw["server_cpu_s"] * 1000 / len(records), 2)
        if records and raw["server_cpu_s"] is not None
        else None,
        "server_cpu_share": round(raw["server_cpu_s"] / raw["load_s"], 2)
        if raw["server_cpu_s"] is not None
        else None,
        "window_s": window,
        "per_window": _windows(records, raw["start"], window),
        "server_rss": _rss(raw["rss"], raw["start"], duration),
        "server_outcomes_from_metrics": outcomes,
        "wall_s": round(wall, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report
