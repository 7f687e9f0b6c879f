"""Live updates at scale: targeted push latency, broadcast, RSS per socket (PostgreSQL + Redis).

For each socket count (1k, 5k, 10k by default) a fresh ``espace serve`` (one worker, Redis
broker) is started and a separate client process opens that many authenticated
graphql-transport-ws sockets, each subscribed to ``dashboardEvents``. Then:

- RSS per socket: the server's RSS with the sockets, minus before, divided by their number;
- targeted push: the bench commits an event for one random candidat and publishes it, as a
  mutation would; latency runs from just after the commit to the client's receive time;
- broadcast: every socket also subscribes to ``announcements``; the bench commits and
  publishes one; we count deliveries, the last delivery time, and the server's CPU seconds.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import resource
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import redis.asyncio as redis

from bench.common import RESULTS, SECRET, database, python, server
from bench.seed import seed
from ground.db import create_engine
from ground.passwords import Hasher
from ground.settings import Settings
from models.dashboard import Announcement, Event, EventKind

REDIS_URL = "redis://127.0.0.1:6379/0"


def raise_nofile() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def proc_stat(pid: int) -> tuple[float, int]:
    """(CPU seconds, RSS bytes) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = 100.0
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = int(fields[21]) * resource.getpagesize()
    return cpu, rss


def _server_pid(base_url: str) -> int:
    port = base_url.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True)
    return int(out.stdout.split("pid=", 1)[1].split(",", 1)[0])


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1)


def node_id(global_id: str) -> int:
    raw = base64.b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    return int(raw.split(":", 1)[1])


class Driver:
    """Commits and publishes as a mutation would, from the bench process."""

    def __init__(self, url: str, prefix: str) -> None:
        self.engine = create_engine(Settings(database_url=url, secret_key=SECRET))
        self.redis = redis.Redis.from_url(REDIS_URL)
        self.prefix = prefix

    async def event(self, account_id: int) -> tuple[int, float]:
        async with self.engine.begin() as conn:
            row = await conn.execute(
                Event.__table__.insert().returning(Event.__table__.c.id),
                {"account_id": account_id, "kind": EventKind.SIGNED_IN.value, "payload": {}},
            )
            event_id = int(row.scalar_one())
        committed = time.time()
        message = {"type": "event", "id": event_id, "kind": EventKind.SIGNED_IN.value}
        await self.redis.publish(f"{self.prefix}account:{account_id}", orjson.dumps(message))
        return event_id, committed

    async def announcement(self) -> tuple[int, float]:
        async with self.engine.begin() as conn:
            row = await conn.execute(
                Announcement.__table__.insert().returning(Announcement.__table__.c.id),
                {"kind": "actualite", "title": "Bench", "body": "Texte."},
            )
            announcement_id = int(row.scalar_one())
        committed = time.time()
        message = {"type": "announcement", "id": announcement_id, "region": None}
        await self.redis.publish(f"{self.prefix}announcements", orjson.dumps(message))
        return announcement_id, committed

    async def close(self) -> None:
        await self.redis.aclose()
        await self.engine.dispose()


def _ask(client: subprocess.Popen[str], command: str) -> str:
    assert client.stdin is not None and client.stdout is not None
    client.stdin.write(command + "\n")
    client.stdin.flush()
    return client.stdout.readline().strip()


@dataclass
class Sockets:
    """A running server with ``n`` client sockets connected to it (see ``connected``)."""

    n: int
    pid: int
    prefix: str
    client: subprocess.Popen[str]
    out_file: Path
    rss_before: int
    rss_after: int
    connect_s: float  # from starting the client to every socket subscribed

    def ask(self, command: str) -> str:
        return _ask(self.client, command)

    def received(self) -> list[list[Any]]:
        """Every message received: [socket index, operation id, node id, time, subjectId]."""
        assert self.ask("dump").startswith("dumped")
        rows: list[list[Any]] = json.loads(self.out_file.read_text())
        return rows


@contextmanager
def connected(url: str, tokens: list[str], n: int, operations: str = "e") -> Iterator[Sockets]:
    """A fresh ``espace serve`` (one worker, Redis broker under a fresh prefix) and a client
    process holding one socket per token of ``tokens[:n]``, subscribed to ``operations``
    (``bench.ws_client.OPERATIONS``). Heartbeat pings and session re-checks are pushed out
    of the measuring window. RSS is read before the sockets and two seconds after.

    The init timeout is raised from 3 s: while 10k sockets ramp up, the server's full
    garbage collections grow to 1-3 s on a busy 2-core machine, and a socket whose
    ``connection_init`` waits behind one would be closed with 4408 (a real client would
    reconnect; the benchmark measures pushes to connected sockets, not the ramp-up)."""
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    env = {
        "ESPACE_REDIS_URL": REDIS_URL,
        "ESPACE_REDIS_PREFIX": prefix,
        "ESPACE_WS_PING_INTERVAL": "600",
        "ESPACE_WS_SESSION_RECHECK_SECONDS": "600",
        "ESPACE_WS_INIT_TIMEOUT": "60",
    }
    with server(url, extra_env=env) as base, tempfile.TemporaryDirectory() as tmp:
        pid = _server_pid(base)
        time.sleep(1)
        _, rss_before = proc_stat(pid)
        tokens_file = Path(tmp) / "tokens.json"
        tokens_file.write_text(json.dumps(tokens[:n]))
        out_file = Path(tmp) / "received.json"
        began = time.monotonic()
        client = subprocess.Popen(
            [
                python(),
                "-m",
                "bench.ws_client",
                base.replace("http", "ws") + "/graphql",
                str(tokens_file),
                "--out",
                str(out_file),
                "--operations",
                operations,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert client.stdout is not None
            ready = client.stdout.readline().strip()
            assert ready.startswith("connected"), ready
            connect_s = time.monotonic() - began
            time.sleep(2)
            _, rss_after = proc_stat(pid)
            yield Sockets(n, pid, prefix, client, out_file, rss_before, rss_after, connect_s)
            _ask(client, "quit")
        finally:
            client.wait(timeout=60)


def run_one(url: str, tokens: list[str], ids: list[int], n: int, samples: int) -> dict[str, Any]:
    with connected(url, tokens, n) as sockets:
        pid, prefix = sockets.pid, sockets.prefix
        sent: dict[int, float] = {}
        broadcasts: dict[int, tuple[float, float]] = {}

        async def drive() -> None:
            driver = Driver(url, prefix)
            try:
                rng = random.Random(7)
                for _ in range(samples):
                    event_id, at = await driver.event(ids[rng.randrange(n)])
                    sent[event_id] = at
                    await asyncio.sleep(0.02)
                await asyncio.sleep(1)
                assert sockets.ask("announcements").startswith("subscribed")
                await asyncio.sleep(2)
                for _ in range(3):
                    cpu0, _ = proc_stat(pid)
                    announcement_id, at = await driver.announcement()
                    await asyncio.sleep(3)
                    cpu1, _ = proc_stat(pid)
                    broadcasts[announcement_id] = (at, cpu1 - cpu0)
            finally:
                await driver.close()

        asyncio.run(drive())
        rows = sockets.received()
        rss_before, rss_after = sockets.rss_before, sockets.rss_after
    latencies = [r[3] - sent[node_id(r[2])] for r in rows if r[1] == "e" and node_id(r[2]) in sent]
    result: dict[str, Any] = {
        "sockets": n,
        "rss_per_socket_kib": round((rss_after - rss_before) / n / 1024, 1),
        "targeted": {
            "sent": len(sent),
            "received": len(latencies),
            "p50_ms": pct(latencies, 0.5) if latencies else None,
            "p99_ms": pct(latencies, 0.99) if latencies else None,
        },
        "broadcast": [],
    }
    for announcement_id, (at, cpu) in broadcasts.items():
        got = [r[3] for r in rows if r[1] == "a" and node_id(r[2]) == announcement_id]
        result["broadcast"].append(
            {
                "delivered": len(got),
                "lost": n - len(got),
                "last_delivery_ms": round((max(got) - at) * 1000, 1) if got else None,
                "server_cpu_s_window_3s": round(cpu, 3),
            }
        )
    return result


def run(counts: tuple[int, ...] = (1000, 5000, 10000), samples: int = 200) -> dict[str, Any]:
    raise_nofile()
    results: dict[str, Any] = {
        "targets": {
            "push_p99_ms": 50,
            "broadcast_last_ms": 500,
            "broadcast_cpu_s": 0.2,
            "rss_kib": 40,
        }
    }
    with database("postgres") as url:

        async def do_seed() -> tuple[list[str], list[int]]:
            engine = create_engine(Settings(database_url=url, secret_key=SECRET))
            try:
                seeded = await seed(engine, SECRET, max(counts), 0, Hasher(2, 19 * 1024, 1))
            finally:
                await engine.dispose()
            return seeded.tokens, seeded.account_ids

        tokens, ids = asyncio.run(do_seed())
        for n in counts:
            results[str(n)] = run_one(url, tokens, ids, n, samples)
            print(f"live, {n} sockets:", json.dumps(results[str(n)]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    return results
