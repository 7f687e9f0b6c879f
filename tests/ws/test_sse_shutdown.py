"""A server that stops ends its graphql-sse streams: ``espace serve`` waits for open
responses only ``SHUTDOWN_GRACE_SECONDS`` (uvicorn tells sockets, not HTTP responses, that
it is stopping), so a restart is never held by a client that keeps a stream open."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import httpx

from espace.sse import SHUTDOWN_GRACE_SECONDS
from tests.conftest import free_port
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher
from tests.support.sse import sse_stream

REPO = Path(__file__).resolve().parents[2]
DASHBOARD_EVENTS = "subscription { dashboardEvents { id } }"


async def test_stopping_espace_serve_ends_open_event_streams(
    database_url: str, smtp: MailCatcher, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "ESPACE_DATABASE_URL": database_url,
        "ESPACE_SECRET_KEY": "test-secret-key-not-for-production",
        "ESPACE_DEBUG": "1",
        "ESPACE_SMTP_PORT": str(smtp.port),
        "ESPACE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ESPACE_UPLOAD_DIR": str(tmp_path / "uploads"),
        "ESPACE_SCHEDULER_ENABLED": "0",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "espace"),
            *("serve", "--port", str(port)),
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            await _healthy(http, serve, log)
            candidate = await sign_up_candidate(GraphQL(http))
            async with sse_stream(http, DASHBOARD_EVENTS, token=candidate.token) as stream:
                # when the server is asked to stop while a stream is open
                serve.send_signal(signal.SIGTERM)
                start = time.monotonic()
                # then the stream ends, and the process exits, after the grace: the open
                # stream does not hold it (without the grace it would wait for ever). The
                # process's own teardown takes under a second on a quiet machine and several
                # on a loaded CI one (10.9 s in all seen there), hence the margin.
                assert await stream.receive(timeout=SHUTDOWN_GRACE_SECONDS + 15) is None
                await asyncio.wait_for(serve.wait(), SHUTDOWN_GRACE_SECONDS + 15)
                assert time.monotonic() - start < SHUTDOWN_GRACE_SECONDS + 15
    finally:
        if serve.returncode is None:
            serve.kill()
            await serve.wait()


async def _healthy(http: httpx.AsyncClient, serve: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + 120  # a loaded machine starts workers slowly
    while time.monotonic() < deadline and serve.returncode is None:
        try:
            if (await http.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    output = await asyncio.to_thread(log.read_text, errors="replace")
    raise AssertionError(f"espace serve did not start:\n{output}")
