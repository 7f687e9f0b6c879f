"""Benchmarks: ``make bench`` (or ``.venv/bin/python -m bench``); never in tests.

Reports sign-in latency, ``viewer { dossiers }`` requests per second with one worker on SQLite
and PostgreSQL (1,000 candidats x 3 dossiers), SQL statements per request, and GraphQL engine
time for a ~100-field query. Results go to stdout and ``bench/results/latest.json``.
``--only yardstick`` (needs Node.js and npm) compares ``viewer { dossiers }`` with PostGraphile V5
on the same PostgreSQL data (bench/yardstick.py).
``--only offers`` runs issue 4's offer benchmarks on 1M generated offers (and 1M alerts once
they exist), one backend after the other (bench/offers_main.py); results go to
``bench/results/offers.json``. The 1M-offer databases are built once and cached
(``--offers-rebuild`` builds them again, ``--offers-drop-cache`` removes them at the end,
``--offers-keep-copy`` keeps the measured copy, with its alerts, to look into).
``--only proposals`` measures issue 5's proposal push latency (commit to client) with 1k, 5k
and 10k sockets (``--sockets``), on PostgreSQL + Redis (bench/live_proposals.py); results go
to ``bench/results/proposals_live.json``.
``--only fulldash`` runs issue 5's full dashboard query on PostgreSQL with 10,000 seeded
candidats (bench/dashboard_full.py): SQL statements per request, then closed-loop maximum and
an open loop at ``--rate`` req/s with 1 and 2 workers; results in ``bench/results/fulldash.json``.
``--only soak`` runs issue 9's soak (bench/soak.py): ``--sockets`` (first value, 1,000 by
default) authenticated sockets on ``dashboardEvents`` plus ``--soak-rate`` (100) mixed HTTP
requests/s with fuzz documents for ``--duration`` seconds (600 by default); errors, the
server's RSS slope and p99 latency per minute go to ``bench/results/soak.json``.
``--only declarations`` (issue 13) measures ``actualisationSubmit`` per second with 2 workers
on PostgreSQL, as on a window's first morning (``--declarants`` seeded candidats;
bench/declarations.py, ``bench/results/declarations.json``). ``--only payrun`` times the
monthly payment run for ``--payrun`` (100,000) declarations (bench/payrun.py,
``bench/results/payrun.json``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench import (
    dashboard_full,
    declarations,
    engine_compiled,
    engine_time,
    http_load,
    live,
    live_proposals,
    offers_main,
    payrun,
    sign_in,
    soak,
    sql_count,
    yardstick,
)
from bench.queries import VIEWER_DASHBOARD

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--candidats", type=int, default=1000)
    parser.add_argument("--duration", type=float, default=None, help="seconds (10; soak: 600)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--only",
        default="signin,engine,sql,http",
        help="comma-separated: signin, engine, sql, http, dashboard, live, proposals, yardstick, "
        "offers, fulldash, soak, declarations, payrun",
    )
    parser.add_argument(
        "--sockets", default="1000,5000,10000", help="socket counts for live, proposals"
    )
    parser.add_argument("--offers", type=int, default=1_000_000, help="generated offers")
    parser.add_argument(
        "--offer-queries", type=int, default=300, help="searches and lookups per kind (resolver)"
    )
    parser.add_argument("--http-queries", type=int, default=50, help="per kind over HTTP; 0: none")
    parser.add_argument("--alerts", type=int, default=1_000_000, help="generated alerts; 0: none")
    parser.add_argument("--offers-rebuild", action="store_true", help="rebuild the cached offers")
    parser.add_argument(
        "--offers-drop-cache", action="store_true", help="drop the cached offers afterwards"
    )
    parser.add_argument(
        "--offers-keep-copy", action="store_true", help="keep the measured copy to look into"
    )
    parser.add_argument("--fulldash-candidats", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=400.0, help="open-loop req/s (fulldash)")
    parser.add_argument("--fulldash-rebuild", action="store_true", help="seed the database again")
    parser.add_argument("--fulldash-drop", action="store_true", help="drop it at the end")
    parser.add_argument("--soak-rate", type=float, default=100.0, help="HTTP req/s (soak)")
    parser.add_argument("--soak-backend", default="postgres", help="sqlite or postgres (soak)")
    parser.add_argument("--declarants", type=int, default=20_000, help="declarations")
    parser.add_argument("--payrun", type=int, default=100_000, help="payments (payrun)")
    args = parser.parse_args()
    soak_duration = args.duration or 600.0
    args.duration = args.duration or 10.0
    only = set(args.only.split(","))
    report: dict[str, object] = {}
    if "signin" in only:
        report["sign_in"] = sign_in.run()
        print("sign-in:", json.dumps(report["sign_in"]), flush=True)
    if "engine" in only:
        report["engine"] = engine_time.run()
        print("engine:", json.dumps(report["engine"]), flush=True)
        report["engine_viewer_dossiers"] = engine_compiled.run()
        print("viewer { dossiers }, both paths:", json.dumps(report["engine_viewer_dossiers"]))
    if "sql" in only:
        report["sql_per_request"] = sql_count.run()
        print("sql statements per request:", json.dumps(report["sql_per_request"]), flush=True)
        report["sql_per_request_interpreted"] = sql_count.run(compiled=False)
        print("... interpreted:", json.dumps(report["sql_per_request_interpreted"]), flush=True)
    if "http" in only:
        for backend in args.backends.split(","):
            result = http_load.run(backend, args.candidats, args.duration, args.concurrency)
            report[f"viewer_dossiers_{backend}"] = result
            print(f"viewer {{ dossiers }} on {backend}:", json.dumps(result), flush=True)
    if "dashboard" in only:
        for workers in (1, 2):
            result = http_load.run(
                "postgres",
                args.candidats,
                args.duration,
                args.concurrency,
                workers,
                query=VIEWER_DASHBOARD,
                events_each=25,
            )
            report[f"viewer_dashboard_postgres_{workers}w"] = result
            print(f"viewer {{ dashboard }} on postgres, {workers} worker(s):", json.dumps(result))
        report["dashboard_sql"] = sql_count.run(("postgres",), VIEWER_DASHBOARD)
        print("dashboard sql statements:", json.dumps(report["dashboard_sql"]), flush=True)
    if "live" in only:
        counts = tuple(int(n) for n in args.sockets.split(","))
        report["live"] = live.run(counts)
    if "proposals" in only:
        counts = tuple(int(n) for n in args.sockets.split(","))
        live_proposals.run(counts)  # writes bench/results/proposals_live.json
    if "yardstick" in only:
        report["yardstick"] = yardstick.run(args.candidats, args.duration, args.concurrency)
        print("yardstick (ours vs PostGraphile):", json.dumps(report["yardstick"]), flush=True)
    if "offers" in only:
        offers_main.run(
            args.backends.split(","),
            args.offers,
            args.offer_queries,
            args.http_queries,
            args.alerts,
            rebuild=args.offers_rebuild,
            drop_cache=args.offers_drop_cache,
            keep_copy=args.offers_keep_copy,
        )
    if "fulldash" in only:
        dashboard_full.run(
            args.fulldash_candidats,
            args.duration,
            args.concurrency,
            args.rate,
            rebuild=args.fulldash_rebuild,
            drop=args.fulldash_drop,
        )
    if "soak" in only:
        result = soak.run(
            soak_duration,
            int(args.sockets.split(",")[0]),
            args.soak_rate,
            args.soak_backend,
        )
        summary = {k: v for k, v in result.items() if k not in ("per_window", "server_rss")}
        print("soak:", json.dumps(summary), flush=True)
        print("soak per window:", json.dumps(result["per_window"]), flush=True)
        rss = {k: v for k, v in result["server_rss"].items() if k != "samples"}
        print("soak server RSS:", json.dumps(rss), flush=True)
    if "declarations" in only:
        declarations.run(args.declarants, args.concurrency, args.duration)
    if "payrun" in only:
        payrun.run(args.payrun)
    if report:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
