"""Scale-out: several server processes share PostgreSQL and Redis pub/sub.

Two in-process servers (A and B) with their own brokers, hubs and database pools, and one
test against a real ``espace serve --workers 2``. Run with ESPACE_TEST_REDIS=1 and
ESPACE_TEST_POSTGRES=1.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import POSTGRES_ON, LiveServer, _truncate_all, free_port, make_settings
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_dossier, sign_up_adviser
from tests.support.sse import sse_stream
from tests.support.ws import WSClient, eventually, subscribed

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

DASHBOARD_EVENTS = """
subscription ($after: String) { dashboardEvents(after: $after) { id kind cursor } }
"""
ANNOUNCEMENTS = "subscription { announcements { id title regionCode } }"
ANNOUNCEMENT_PUBLISH = """
mutation ($input: AnnouncementPublishInput!) {
  announcementPublish(input: $input) { announcement { id } userErrors { field code } }
}
"""
SESSION_REVOKE = "mutation { sessionRevoke { revokedCount userErrors { code } } }"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The run's PostgreSQL database, emptied after the test."""
    if not POSTGRES_ON:
        pytest.skip("set ESPACE_TEST_POSTGRES=1")
    url: str = request.getfixturevalue("postgres_database")
    yield url
    _truncate_all(url)


class Cluster:
    """Servers sharing one database and one Redis, each with a GraphQL client."""

    def __init__(self, database_url: str, smtp_port: int, redis_url: str, prefix: str) -> None:
        self.database_url = database_url
        self.smtp_port = smtp_port
        self.redis_url = redis_url
        self.prefix = prefix
        self.stack = AsyncExitStack()

    async def server(self, **overrides: Any) -> tuple[LiveServer, GraphQL]:
        port = free_port()
        settings = make_settings(
            self.database_url,
            self.smtp_port,
            port,
            redis_url=self.redis_url,
            redis_prefix=self.prefix,
            **overrides,
        )
        live = LiveServer(settings, port)
        await live.start()
        self.stack.push_async_callback(live.stop)
        http = await self.stack.enter_async_context(
            httpx.AsyncClient(base_url=live.url, timeout=30)
        )
        return live, GraphQL(http)


@pytest.fixture
async def cluster(
    shared_database: str, redis_url: str, redis_prefix: str, smtp: MailCatcher
) -> AsyncIterator[Cluster]:
    cluster = Cluster(shared_database, smtp.port, redis_url, redis_prefix)
    async with cluster.stack:
        yield cluster


async def test_an_event_committed_on_a_reaches_a_subscriber_on_b(cluster: Cluster) -> None:
    _, api_a = await cluster.server()
    b, _ = await cluster.server()
    candidate = await sign_up_candidate(api_a)
    async with subscribed(b, candidate.token, DASHBOARD_EVENTS) as ws:
        await _until_listening(ws)
        # when a dossier is created through process A
        await create_dossier(api_a, candidate.token)
        # then the socket on process B receives its event
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["kind"] == "DOSSIER_CREATED"


async def test_an_announcement_published_on_a_reaches_b(cluster: Cluster) -> None:
    a, api_a = await cluster.server()
    b, _ = await cluster.server()
    adviser = await sign_up_adviser(a, api_a)
    candidate = await sign_up_candidate(api_a)
    async with subscribed(b, candidate.token, ANNOUNCEMENTS) as ws:
        await _until_listening(ws)
        data = await api_a(
            ANNOUNCEMENT_PUBLISH,
            {"input": {"kind": "ACTUALITE", "title": "Job dating", "body": "À Lannion."}},
            token=adviser,
        )
        published = data["announcementPublish"]["announcement"]
        assert (await ws.next_data("1"))["announcements"]["id"] == published["id"]


async def test_sign_out_on_a_closes_the_socket_on_b_within_five_seconds(
    cluster: Cluster,
) -> None:
    _, api_a = await cluster.server()
    b, _ = await cluster.server()
    candidate = await sign_up_candidate(api_a)
    async with subscribed(b, candidate.token, DASHBOARD_EVENTS) as ws:
        await _until_listening(ws)
        await api_a(SESSION_REVOKE, token=candidate.token)
        closed, waited = await ws.closed_within(5)
        assert closed.code == 4403 and waited < 5


async def test_an_event_stream_on_b_follows_a_and_ends_with_a_sign_out_on_a(
    cluster: Cluster,
) -> None:
    _, api_a = await cluster.server()
    b, api_b = await cluster.server()
    candidate = await sign_up_candidate(api_a)
    async with sse_stream(api_b.http, DASHBOARD_EVENTS, token=candidate.token) as stream:
        hub = b.app.state.hub
        await eventually(lambda: any(g.members for g in hub.groups.values()))
        # an event committed through A reaches the graphql-sse stream on B
        await create_dossier(api_a, candidate.token)
        assert (await stream.next_data())["dashboardEvents"]["kind"] == "DOSSIER_CREATED"
        # and signing out on A ends it, saying why
        await api_a(SESSION_REVOKE, token=candidate.token)
        ended = await stream.next_payload(timeout=5)
        assert ended["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        await stream.completed()


async def _until_listening(ws: WSClient) -> None:
    """The server has handled the subscribe (a ping sent after it is answered after it)."""
    await ws.send({"type": "ping"})
    assert await ws.receive() == {"type": "pong"}


async def test_espace_serve_with_two_workers_behind_redis(cluster: Cluster, tmp_path: Path) -> None:
    # given process A in this test, and `espace serve --workers 2` on the same database and Redis
    _, api_a = await cluster.server()
    port = free_port()
    log = tmp_path / "serve.log"
    serve = await _espace_serve(cluster, port, log)
    try:
        await _wait_healthy(port, serve, log)
        served = LiveServerAddress(f"http://127.0.0.1:{port}")
        candidate = await sign_up_candidate(api_a)
        async with AsyncExitStack() as stack:
            sockets = [
                await stack.enter_async_context(
                    subscribed(served, candidate.token, DASHBOARD_EVENTS)
                )
                for _ in range(4)
            ]
            for ws in sockets:
                await _until_listening(ws)
            # when a change is committed through A, every socket of the workers receives it
            await create_dossier(api_a, candidate.token)
            for ws in sockets:
                assert (await ws.next_data("1"))["dashboardEvents"]["kind"] == "DOSSIER_CREATED"
            # and signing out through A closes them all within 5 s
            await api_a(SESSION_REVOKE, token=candidate.token)
            start = time.monotonic()
            for ws in sockets:
                assert (await ws.closed(5)).code == 4403
            assert time.monotonic() - start < 5
    finally:
        serve.terminate()
        try:
            await asyncio.wait_for(serve.wait(), 15)
        except TimeoutError:
            serve.kill()
            await serve.wait()


class LiveServerAddress:
    """Just enough of a LiveServer for the socket helpers: its URL."""

    def __init__(self, url: str) -> None:
        self.url = url


async def _espace_serve(cluster: Cluster, port: int, log: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "ESPACE_DATABASE_URL": cluster.database_url,
        "ESPACE_REDIS_URL": cluster.redis_url,
        "ESPACE_REDIS_PREFIX": cluster.prefix,
        "ESPACE_SECRET_KEY": "test-secret-key-not-for-production",
        "ESPACE_DEBUG": "1",
        "ESPACE_SMTP_PORT": str(cluster.smtp_port),
        "ESPACE_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    espace = Path(sys.executable).parent / "espace"
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            str(espace),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=out,
        )


async def _wait_healthy(port: int, serve: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + 120  # a loaded machine starts workers slowly
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as http:
        while time.monotonic() < deadline:
            if serve.returncode is not None:
                break
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    output = await asyncio.to_thread(log.read_text, errors="replace")
    raise AssertionError(f"espace serve did not start:\n{output}")
