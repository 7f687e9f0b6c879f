"""``espace serve --workers 2``: /metrics adds up every worker's counts (Prometheus'
multiprocess mode), and the server's stderr is JSON lines carrying the request IDs; without
Redis, a sign-out through one worker holds at once on the other (no cached session check)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import free_port
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL

REPO = Path(__file__).resolve().parents[2]
PING = "query Ping { __typename }"
VIEWER = "{ viewer { kind } }"
SIGN_OUT = "mutation { sessionRevoke { revokedCount userErrors { code } } }"


def _ping_count(text: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "espace_graphql_requests_total" and sample.labels == {
                "operation": "Ping",
                "outcome": "ok",
            }:
                return sample.value
    return 0.0


def _lines(log: Path) -> list[dict[str, Any]]:
    found = []
    for raw in log.read_bytes().splitlines():
        if raw.startswith(b"{"):
            found.append(orjson.loads(raw))
    return found


async def _start(
    database_url: str, port: int, log: Path, tmp: Path, workers: int = 2
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "ESPACE_DATABASE_URL": database_url,
        "ESPACE_SECRET_KEY": "test-secret-key-not-for-production",
        "ESPACE_OUTBOX_ENABLED": "false",
        "ESPACE_SCHEDULER_ENABLED": "false",
        "ESPACE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TMPDIR": str(tmp),  # where serve makes its metrics directory
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    espace = Path(sys.executable).parent / "espace"
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            str(espace), "serve", "--port", str(port), "--workers", str(workers),
            cwd=REPO, env=env, stdout=out, stderr=out,
        )  # fmt: skip


async def _wait_ready(url: str, serve: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + 120  # a loaded machine starts workers slowly
    async with httpx.AsyncClient(base_url=url, timeout=2) as http:
        while time.monotonic() < deadline and serve.returncode is None:
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    output = await asyncio.to_thread(log.read_text, errors="replace")
    raise AssertionError(f"espace serve did not start:\n{output}")


async def _fresh_post(url: str, rid: str) -> None:
    # A new connection each time, so that both workers accept some.
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        response = await http.post("/graphql", json={"query": PING}, headers={"X-Request-ID": rid})
        assert response.status_code == 200
        assert response.headers["x-request-id"] == rid


async def _fresh_api(url: str, query: str, token: str) -> dict[str, Any]:
    # A new connection each time, so that both workers answer some.
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        data: dict[str, Any] = await GraphQL(http)(query, token=token)
        return data


async def _sign_out_holds_on_every_worker(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        candidate = await sign_up_candidate(GraphQL(http))
    for _ in range(10):  # both workers check the session (and would cache it)
        assert (await _fresh_api(url, VIEWER, candidate.token))["viewer"] is not None
    signed_out = await _fresh_api(url, SIGN_OUT, candidate.token)
    assert signed_out["sessionRevoke"]["revokedCount"] == 1
    for _ in range(10):
        assert (await _fresh_api(url, VIEWER, candidate.token))["viewer"] is None


async def test_two_workers_report_the_sum_of_their_counts(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    stale = tmp / "espace-metrics-999999999-left"  # of a server killed with SIGKILL
    stale.mkdir()
    serve = await _start(database_url, port, log, tmp)
    try:
        await _wait_ready(url, serve, log)
        assert not stale.exists()
        # given requests until both workers have answered some
        sent: set[str] = set()
        pids: set[int] = set()
        while len(pids) < 2 and len(sent) < 400:
            for _ in range(20):
                rid = f"w-{len(sent)}"
                await _fresh_post(url, rid)
                sent.add(rid)
            await asyncio.sleep(0.2)  # the last lines reach the log file
            pids = {
                line["pid"]
                for line in _lines(log)
                if line.get("event") == "request" and line.get("request_id") in sent
            }
        assert len(pids) == 2, "one worker answered every request"
        # then every scrape, whichever worker answers it, counts all of them
        for _ in range(4):
            async with httpx.AsyncClient(base_url=url, timeout=10) as http:
                scraped = await http.get("/metrics")
            assert _ping_count(scraped.text) == len(sent)
        # and each request has its JSON line, with its ID, operation and outcome
        requests = [
            line
            for line in _lines(log)
            if line.get("event") == "request" and line.get("request_id") in sent
        ]
        assert len(requests) == len(sent)
        assert {(r["operation"], r["outcome"], r["status"]) for r in requests} == {
            ("Ping", "ok", 200)
        }
        assert list(tmp.glob("espace-metrics-*"))  # the multiprocess directory, while serving
        # and a sign-out through one worker is refused at once by both
        await _sign_out_holds_on_every_worker(url)
    finally:
        if serve.returncode is None:
            serve.send_signal(signal.SIGTERM)
        await asyncio.wait_for(serve.wait(), 30)
    assert not list(tmp.glob("espace-metrics-*"))  # removed at exit


# SQLite alone: the metrics directory is the process's business, the request reads no table;
# serving on PostgreSQL with the same directory is test_two_workers_report_the_sum_of_their_counts.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_one_worker_removes_its_metrics_directory_on_sigterm(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    log, tmp = tmp_path / "serve.log", tmp_path / "tmp"
    tmp.mkdir()
    serve = await _start(database_url, port, log, tmp, workers=1)
    try:
        await _wait_ready(f"http://127.0.0.1:{port}", serve, log)
        await _fresh_post(f"http://127.0.0.1:{port}", "one-worker")
        assert list(tmp.glob("espace-metrics-*"))
    finally:
        if serve.returncode is None:
            serve.send_signal(signal.SIGTERM)
        await asyncio.wait_for(serve.wait(), 30)
    assert serve.returncode == 0
    assert not list(tmp.glob("espace-metrics-*"))
