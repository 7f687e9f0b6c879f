"""The throughput yardstick: PostGraphile V5 and our server on the same PostgreSQL data.

One throwaway database (1,000 candidats x 3 dossiers by default), one process per server
(PostGraphile is single-threaded Node; ours runs ``--workers 1``), the same load client
(``python -m bench.load``), concurrency and duration. PostGraphile gets the closest query its
generated schema allows to our ``viewer { dossiers }`` (bench/queries.py), one seeded account
id per request in rotation; ours gets one bearer token per request in rotation.

A trivial Node server (bench/yardstick/trivial.mjs) answering PostGraphile's response bytes
measures what the load client can drive on this machine (``client_ceiling``): it must sit well
above both figures. CPU milliseconds per request (bench/cpu.py) of each server, of PostgreSQL
and of the client are reported too: they move less than rps when others load the machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import tempfile
import time
from contextlib import ExitStack

import httpx
from sqlalchemy import select

from bench import cpu
from bench.common import SECRET, database, python, server
from bench.node import _node_version, _npm_ci, postgraphile, trivial_server
from bench.queries import VIEWER_DOSSIERS
from bench.seed import seed
from ground.db import create_engine
from ground.passwords import Hasher
from ground.settings import Settings
from models.identity import Account

# Field names from PostGraphile's generated schema for our tables (amber preset, no
# inflection plugins). No equivalent for our computed fields: phoneMobile { national },
# commune { inseeCode name } (reference data), capabilities { ... }.
POSTGRAPHILE_DOSSIERS = """
query ViewerDossiers($id: BigInt!) {
  accountByRowId(rowId: $id) {
    id identifiant
    dossiersByAccountId(first: 3, orderBy: PRIMARY_KEY_ASC) {
      edges { node {
        id name civilite nom prenom adresse postalCode phoneMobile email emailConfirmedAt
        communeInsee communeName
        agencyByAgencyId { name }
      } }
    }
  }
}
"""

THEIR_EDGES = ("data", "accountByRowId", "dossiersByAccountId", "edges")
OUR_EDGES = ("data", "viewer", "dossiers", "edges")

CAVEATS = [
    "PostGraphile does no token lookup: it is told the account id. Ours authenticates each "
    "request: from the session cache when the token was checked in the last "
    "ESPACE_SESSION_CACHE_SECONDS (default 5; the load rotates over every seeded token), else "
    "with one extra SQL statement (the session by token hash, with its account).",
    'Ours ("ours": ESPACE_COMPILED_READS on) runs 1 SQL statement per request on a cached '
    'token check (2 otherwise): the compiled statement that builds the JSON; "ours_interpreted" '
    "(flag off) runs 2 (dossiers, agencies; 3 with the session; python -m bench --only sql). "
    "PostGraphile compiles the whole query into 1.",
    "Ours also computes fields PostGraphile has no equivalent for: capabilities { ... } (in SQL "
    "when compiled), phoneMobile { national } and commune { inseeCode name } from reference "
    "data (a post-pass in Python when compiled).",
    "Client, servers and PostgreSQL share the machine's cores with whatever else runs: see "
    "load_average_*, client_ceiling and ratio_ours_over_postgraphile_by_cpu.",
]


def run(candidats: int, duration: float, concurrency: int) -> dict[str, object]:
    """Both servers on one seeded PostgreSQL database; rps, latency and the ratio ours/theirs."""
    _npm_ci()
    load_before = os.getloadavg()
    with database("postgres") as url:
        tokens, account_ids = asyncio.run(_seed(url, candidats))
        theirs_requests = [
            {"body": json.dumps({"query": POSTGRAPHILE_DOSSIERS, "variables": {"id": str(i)}})}
            for i in account_ids
        ]
        ours_requests = [
            {"body": json.dumps({"query": VIEWER_DOSSIERS}), "token": t} for t in tokens
        ]
        postgres = cpu.postgres_backends(url.rsplit("/", 1)[1])
        with postgraphile(url.replace("postgresql+asyncpg://", "postgresql://")) as (endpoint, pid):
            sample = _check(endpoint, theirs_requests[0], THEIR_EDGES)
            meters = {"server": cpu.process_group(pid), "postgres": postgres}
            theirs = load(endpoint, theirs_requests, concurrency, duration, meters)
        modes = {}
        for mode, flag in (("compiled", "true"), ("interpreted", "false")):
            with server(url, workers=1, extra_env={"ESPACE_COMPILED_READS": flag}) as base:
                _check(base + "/graphql", ours_requests[0], OUR_EDGES)
                port = base.rsplit(":", 1)[1]
                meters = {"server": cpu.command_line("--port", port), "postgres": postgres}
                modes[mode] = load(base + "/graphql", ours_requests, concurrency, duration, meters)
        ours, interpreted = modes["compiled"], modes["interpreted"]
    with trivial_server(sample) as (endpoint, pid):
        meters = {"server": cpu.process_group(pid)}
        ceiling = load(endpoint, theirs_requests, concurrency, min(duration, 5.0), meters)
    return {
        "postgraphile": theirs,
        "ours": ours,
        "ours_interpreted": interpreted,
        "ratio_ours_over_postgraphile": round(_num(ours, "rps") / _num(theirs, "rps"), 3),
        "ratio_interpreted_over_postgraphile": round(
            _num(interpreted, "rps") / _num(theirs, "rps"), 3
        ),
        # Server + PostgreSQL CPU per request, theirs over ours: the rps ratio when both are
        # CPU-bound on the same cores; steadier than rps while others load the machine.
        "ratio_ours_over_postgraphile_by_cpu": round(_cpu_ms(theirs) / _cpu_ms(ours), 3),
        "ratio_interpreted_over_postgraphile_by_cpu": round(
            _cpu_ms(theirs) / _cpu_ms(interpreted), 3
        ),
        "client_ceiling": ceiling,
        "setup": {
            "database": "postgresql",
            "candidats": candidats,
            "dossiers_each": 3,
            "concurrency": concurrency,
            "duration_s": duration,
            "processes_per_server": 1,
            "postgraphile": "5.1.5 (amber preset, pg adaptor, pool max 20), " + _node_version(),
            "ours": "espace serve --workers 1 (pool of 20 connections)",
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "caveats": CAVEATS + _node_caveat(),
    }


async def _seed(url: str, candidats: int) -> tuple[list[str], list[int]]:
    engine = create_engine(Settings(database_url=url, secret_key=SECRET))
    try:
        seeded = await seed(engine, SECRET, candidats, 3, Hasher(2, 19 * 1024, 1))
        async with engine.connect() as conn:
            ids = list((await conn.execute(select(Account.id).order_by(Account.id))).scalars())
    finally:
        await engine.dispose()
    return seeded.tokens, ids


def _check(url: str, spec: dict[str, str], path: tuple[str, ...]) -> bytes:
    """One request before timing: it must answer 3 dossiers at ``path`` and no errors."""
    token = spec.get("token")
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = httpx.post(url, content=spec["body"], headers=headers)
    node = response.json()
    if response.status_code == 200 and "errors" not in node:
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, list) or len(node) != 3:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:500]}")
    return response.content


def load(
    url: str,
    specs: list[dict[str, str]],
    concurrency: int,
    duration: float,
    meters: dict[str, cpu.Select],
) -> dict[str, object]:
    """``python -m bench.load`` against ``url``, one spec per request in rotation.

    Adds the CPU milliseconds per request of the client and of each metered set of processes
    (approximate: the client's start-up and 0.5 s warm-up are counted, their requests not).
    """
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(specs, fh)
    command = [python(), "-m", "bench.load", url, fh.name]
    command += ["--concurrency", str(concurrency), "--duration", str(duration)]
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with ExitStack() as stack:
        metered = {name: stack.enter_context(cpu.Meter(select)) for name, select in meters.items()}
        start = time.perf_counter()
        try:
            out = subprocess.run(command, check=True, capture_output=True, text=True)
        finally:
            os.unlink(fh.name)
        wall = time.perf_counter() - start
    spent = {name: meter.seconds for name, meter in metered.items()}
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, object] = json.loads(out.stdout)
    if result["errors"]:
        raise RuntimeError(f"{url}: {result['errors']} errors, first: {result['first_error']}")
    spent["client"] = (
        client_after.ru_utime
        + client_after.ru_stime
        - client_before.ru_utime
        - client_before.ru_stime
    )
    requests = max(1, int(str(result["requests"])))
    for name, seconds in spent.items():
        result[f"{name}_cpu_ms_per_request"] = round(seconds * 1000 / requests, 3)
    # The client is one single-threaded process: well under 1 core means it kept up.
    result["client_cpu_cores"] = round(spent["client"] / wall, 2)
    return result


def _num(result: dict[str, object], key: str) -> float:
    value = result[key]
    assert isinstance(value, float | int)
    return float(value)


def _cpu_ms(result: dict[str, object]) -> float:
    return _num(result, "server_cpu_ms_per_request") + _num(result, "postgres_cpu_ms_per_request")


def _node_caveat() -> list[str]:
    if int(_node_version().removeprefix("node v").split(".")[0]) >= 22:
        return []
    return ["PostGraphile ran on Node < 22 (with node20-shim.mjs), ~1.4x slower than on Node 22."]
