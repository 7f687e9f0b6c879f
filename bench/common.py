"""Helpers shared by the benchmarks: throwaway databases and a server process."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ground.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_ADMIN = os.environ.get("ESPACE_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-secret-key-not-for-production"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg(sql: str) -> None:
    async def run() -> None:
        import asyncpg

        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@contextmanager
def database(backend: str) -> Iterator[str]:
    """A fresh, migrated database URL, removed afterwards."""
    if backend == "sqlite":
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"bench-{uuid.uuid4().hex[:8]}.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        try:
            yield url
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"espace_bench_{uuid.uuid4().hex[:8]}"
    _pg(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server(
    database_url: str, workers: int = 1, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run ``espace serve`` in its own process group; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "ESPACE_DATABASE_URL": database_url,
        "ESPACE_SECRET_KEY": SECRET,
        "ESPACE_OUTBOX_ENABLED": "false",
        # One load client signs many accounts in: no per-client sign-in limit here.
        "ESPACE_LOGIN_CLIENT_LIMIT": "",
        **(extra_env or {}),
    }
    RESULTS.mkdir(exist_ok=True)
    log = open(RESULTS / "server.log", "ab")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "espace"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        cwd=ROOT,
        # A log file, never a pipe nobody reads: a full pipe blocks the server's logging.
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine imports slowly
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start: see bench/results/server.log")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:  # open WebSockets can hold a graceful shutdown
            os.killpg(proc.pid, 9)
            proc.wait(timeout=15)
        log.close()


def python() -> str:
    return sys.executable
