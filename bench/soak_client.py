"""The soak run's load client, in its own process (``bench.soak`` starts it).

    python -m bench.soak_client URL SPEC_FILE --out RESULT_FILE

1. Opens one graphql-transport-ws socket per socket token, each authenticated and subscribed
   to ``dashboardEvents``; they answer pings and stay open for the whole run.
2. Sends an open-loop mix of HTTP requests at ``rate`` for ``duration`` seconds (request ``i``
   is due at ``start + i / rate``; latency counts from then): signed-in reads, a mutation that
   pushes a dashboard event to one of the sockets, anonymous reads, an expected client error,
   and fuzz documents (bench.soak_fuzz), anonymous and signed in.
3. Samples the server's RSS (``/proc/PID/status``) every few seconds meanwhile.

An error is a transport failure, a request unanswered after 30 s, any 5xx, any
INTERNAL_SERVER_ERROR or driver/exception text in a body, any GraphQL error on the documents
that must succeed, and on sockets any ``error`` message, error payload or close by the server.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import websockets

from bench.load import build_request, read_response
from bench.open_load import Pool
from bench.queries import VIEWER_DASHBOARD, VIEWER_DOSSIERS

LIVE = '{"id":"e","type":"subscribe","payload":{"query":"subscription Live { dashboardEvents { id kind } }"}}'  # noqa: E501
COMMUNES = 'query Communes { communes(postalCode: "22200") { inseeCode name } }'
NEWS = "query News { announcements(first: 5) { edges { node { id title } } } }"
BAD_CURSOR = 'query BadCursor { announcements(after: "pas-un-curseur") { pageInfo { endCursor } } }'
FIRST_DOSSIER = "query FirstDossier { viewer { dossiers(first: 1) { edges { node { id } } } } }"
UPDATE = """mutation DossierUpdate($id: ID!, $phone: String) {
  dossierUpdate(input: {id: $id, phoneMobile: $phone}) { dossier { id } userErrors { code } } }"""
PHONES = ("0612345678", "0698765432")
LEAKS = (b"INTERNAL_SERVER_ERROR", b"Traceback", b"sqlalchemy", b"asyncpg", b"sqlite3")
# Out of 20 requests: kind and weight.
MIX = (("dossiers", 6), ("dashboard", 4), ("update", 2), ("communes", 2), ("news", 1),
       ("expected_error", 1), ("fuzz_anonymous", 2), ("fuzz_signed_in", 2))  # fmt: skip
TIMEOUT = 30.0


class Sockets:
    """The subscribed sockets and what they saw."""

    def __init__(self, url: str, tokens: list[str]) -> None:
        self.url, self.tokens = url, tokens
        self.connections: list[Any] = []
        self.events = [0] * len(tokens)
        self.errors: list[str] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.closing = False

    async def _open(self, i: int) -> None:
        ws = await websockets.connect(
            self.url, subprotocols=["graphql-transport-ws"], ping_interval=None,
            open_timeout=120, compression=None, max_queue=None,
        )  # fmt: skip
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {self.tokens[i]}"}}
        await ws.send(json.dumps(init))
        ack = json.loads(await ws.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"no ack: {ack}")
        await ws.send(LIVE)
        self.connections.append(ws)
        self.tasks.append(asyncio.create_task(self._read(i, ws)))

    async def open_all(self, batch: int = 50) -> None:
        for start in range(0, len(self.tokens), batch):
            stop = min(start + batch, len(self.tokens))
            results = await asyncio.gather(
                *(self._open(i) for i in range(start, stop)), return_exceptions=True
            )
            self.errors += [f"connect: {r!r}" for r in results if isinstance(r, BaseException)]

    async def _read(self, i: int, ws: Any) -> None:
        try:
            async for raw in ws:
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "ping":
                    await ws.send('{"type":"pong"}')
                elif kind == "next" and "errors" not in message["payload"]:
                    self.events[i] += 1
                elif kind != "pong":
                    self.errors.append(f"socket {i}: {raw[:200]}")
        except websockets.ConnectionClosed as exc:
            if not self.closing:
                self.errors.append(f"socket {i} closed: {exc!r}")

    async def close(self) -> int:
        """Close every socket; returns how many were still open."""
        self.closing = True
        still = sum(1 for ws in self.connections if ws.state is websockets.State.OPEN)
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.connections), return_exceptions=True)
        return still


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class Load:
    """The open-loop HTTP mix and its per-request records."""

    def __init__(self, url: str, spec: dict[str, Any], dossiers: dict[str, str]) -> None:
        self.url = url + "/graphql"
        parts = urlsplit(url)
        self.pool = Pool(parts.hostname or "127.0.0.1", parts.port or 80, 64)
        self.readers: list[str] = spec["http_tokens"]
        self.fuzz_tokens: list[str] = spec["fuzz_tokens"]
        self.corpus: list[str] = spec["corpus"]
        self.dossiers = dossiers  # token of a socket's account -> its dossier's global ID
        self.toggles = dict.fromkeys(dossiers, 0)
        self.records: list[tuple[float, float, str, str | None]] = []  # due, latency, kind, err
        self.updates_ok = 0
        kinds = [k for k, w in MIX for _ in range(w)]
        self._kinds = itertools.cycle(kinds)
        self._n = itertools.count()

    def _next(self) -> tuple[str, bytes]:
        kind, n = next(self._kinds), next(self._n)
        token: str | None = self.readers[n % len(self.readers)]
        variables: dict[str, Any] = {}
        if kind == "dossiers":
            query = VIEWER_DOSSIERS
        elif kind == "dashboard":
            query = VIEWER_DASHBOARD
        elif kind == "update":
            token = list(self.dossiers)[n % len(self.dossiers)]
            self.toggles[token] ^= 1
            query = UPDATE
            variables = {"id": self.dossiers[token], "phone": PHONES[self.toggles[token]]}
        elif kind.startswith("fuzz"):
            query = self.corpus[n % len(self.corpus)]
            token = self.fuzz_tokens[n % len(self.fuzz_tokens)] if kind.endswith("in") else None
        else:
            query = {"communes": COMMUNES, "news": NEWS, "expected_error": BAD_CURSOR}[kind]
            token = None
        body = json.dumps({"query": query, "variables": variables}).encode()
        return kind, build_request(self.url, body, token)

    async def _one(self, kind: str, request: bytes, due: float) -> None:
        error: str | None = None
        try:
            async with asyncio.timeout(TIMEOUT):
                reader, writer = await self.pool.get()
                try:
                    writer.write(request)
                    status, body = await read_response(reader)
                except BaseException:
                    writer.close()
                    self.pool.opened -= 1
                    raise
                self.pool.put((reader, writer))
            error = judge(kind, status, body)
            if kind == "update" and error is None:
                self.updates_ok += 1
        except TimeoutError:
            error = "unanswered after 30 s"
        except (OSError, asyncio.IncompleteReadError) as exc:
            error = f"io: {exc!r}"
        self.records.append((due, time.perf_counter() - due, kind, error))

    async def run(self, rate: float, duration: float) -> float:
        tasks: set[asyncio.Task[None]] = set()
        start = time.perf_counter() + 0.1
        for i in range(int(rate * duration)):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            kind, request = self._next()
            task = asyncio.create_task(self._one(kind, request, due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(list(tasks))
        self.pool.close()
        return start


def judge(kind: str, status: int, body: bytes) -> str | None:
    """Why this answer is an error, or None."""
    if status >= 500 or any(leak in body for leak in LEAKS):
        return f"{status} {body[:300]!r}"
    if kind.startswith("fuzz"):
        return None  # any 2xx/4xx answer with a stable code is fine
    if kind == "expected_error":
        return None if status == 200 and b"BAD_CURSOR" in body else f"{status} {body[:300]!r}"
    if status != 200 or b'"errors"' in body or b'"userErrors":[{' in body:
        return f"{status} {body[:300]!r}"
    return None


async def first_dossiers(url: str, tokens: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    parts = urlsplit(url)
    for token in tokens:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        body = json.dumps({"query": FIRST_DOSSIER}).encode()
        writer.write(build_request(url + "/graphql", body, token))
        _, answer = await read_response(reader)
        writer.close()
        found[token] = json.loads(answer)["data"]["viewer"]["dossiers"]["edges"][0]["node"]["id"]
    return found


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0


async def sample_rss(pid: int, every: float, into: list[tuple[float, float, float]]) -> None:
    while True:
        into.append((time.perf_counter(), rss_mib(pid), cpu_seconds(pid)))
        await asyncio.sleep(every)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("spec_file")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    spec = json.loads(Path(args.spec_file).read_text())  # noqa: ASYNC240 - before any load
    pid, rate, duration = spec["server_pid"], spec["rate"], spec["duration"]
    sockets = Sockets(args.url.replace("http", "ws", 1) + "/graphql", spec["socket_tokens"])
    began = time.perf_counter()
    await sockets.open_all()
    connect_s = time.perf_counter() - began
    dossiers = await first_dossiers(args.url, spec["socket_tokens"][:50])
    await asyncio.sleep(2)
    rss: list[tuple[float, float, float]] = []
    sampler = asyncio.create_task(sample_rss(pid, spec["rss_every"], rss))
    load = Load(args.url, spec, dossiers)
    start = await load.run(rate, duration)
    answered_at, cpu_at_end = time.perf_counter(), cpu_seconds(pid)
    deadline = time.perf_counter() + 15  # the last pushes
    while sum(sockets.events) < load.updates_ok and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    sampler.cancel()
    open_at_end = await sockets.close()
    result = {
        "connect_s": round(connect_s, 1),
        "start": start,
        "records": load.records,
        "rss": rss,
        "server_cpu_s": round(cpu_at_end - rss[0][2], 2) if rss else None,
        "load_s": round(answered_at - start, 2),
        "updates_ok": load.updates_ok,
        "events_on_sockets": sum(sockets.events),
        "socket_errors": sockets.errors,
        "sockets_open_at_end": open_at_end,
    }
    Path(args.out).write_text(json.dumps(result))  # noqa: ASYNC240 - the run is over


if __name__ == "__main__":
    asyncio.run(main())
