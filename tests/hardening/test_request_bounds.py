"""Every request ends: the hang of issue 9, the per-request deadline, the bound on requests in
flight, the pool timeout, the database timeouts, and memory after abandoned requests."""

from __future__ import annotations

import asyncio
import gc
import json
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import make_url, text

from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL

HANG = (
    '{ node(id: "RG9zc2llcjox") { id } offer(number: "") { origin } '
    'announcements(after: "NIL") { pageInfo { endCursor } } }'
)
VISIT = "mutation { dashboardVisit { userErrors { code } } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


@asynccontextmanager
async def writers_blocked(server: LiveServer) -> AsyncIterator[None]:
    """Another client holds the lock a write needs: the server's writes wait on it."""
    url = server.settings.database_url
    if url.startswith("sqlite"):
        database = make_url(url).database
        assert database
        # In a thread: waiting for the lock must not stop this event loop, which runs the
        # server that may hold it.
        conn = sqlite3.connect(database, isolation_level=None, timeout=10, check_same_thread=False)
        await asyncio.to_thread(conn.execute, "BEGIN IMMEDIATE")
        try:
            yield
        finally:
            await asyncio.to_thread(conn.execute, "ROLLBACK")
            conn.close()
        return
    import asyncpg

    pg = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    transaction = pg.transaction()
    await transaction.start()
    await pg.execute("LOCK TABLE accounts IN EXCLUSIVE MODE")  # reads pass, updates wait
    try:
        yield
    finally:
        await transaction.rollback()
        await pg.close()


@asynccontextmanager
async def bounded(
    server: LiveServer, **overrides: Any
) -> AsyncIterator[tuple[LiveServer, GraphQL]]:
    """A second server on the same database with tight bounds. Accounts are made on the
    first one: signing in (argon2) on a loaded machine may take longer than these bounds."""
    settings = server.settings.model_copy(update=overrides)
    live = LiveServer(settings, 0, server.runtime.refdata)
    await live.start()
    try:
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
            yield live, GraphQL(http)
    finally:
        await live.stop()


async def settled(server: LiveServer, timeout: float = 20.0) -> None:
    """Wait until no request is in flight and every pooled connection is back."""
    deadline = time.monotonic() + timeout
    while True:
        busy = server.app.state.in_flight.count, server.runtime.engine.pool.checkedout()
        if busy == (0, 0):
            return
        assert time.monotonic() < deadline, f"still held (requests, connections): {busy}"
        await asyncio.sleep(0.05)


async def test_the_issue_document_answers(api: GraphQL) -> None:
    # Given a signed-in candidat
    candidate = await sign_up_candidate(api)
    # When the document of issue 9 §2 is sent (three sibling fields, one of them failing)
    response = await asyncio.wait_for(api.post(HANG, token=candidate.token), 15)
    # Then it is answered: the bad cursor is reported, nothing hangs
    assert response.status_code == 200
    assert codes(response.json()) == ["BAD_CURSOR"]
    assert (await api("{ __typename }", token=candidate.token)) == {"__typename": "Query"}


async def test_slow_request_times_out_and_frees_what_it_held(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with bounded(server, request_timeout=0.5, sqlite_busy_timeout=3.0) as (live, quick):
        async with writers_blocked(live):
            # When a write waits on a lock longer than the deadline
            response = await quick.post(VISIT, token=candidate.token)
            # Then it is answered with a stable code, not left waiting
            assert response.status_code == 504
            assert codes(response.json()) == ["TIMEOUT"]
        # And everything it held is released: the next write goes through
        await settled(live)
        data = await quick(VISIT, token=candidate.token)
        assert data["dashboardVisit"]["userErrors"] == []


async def test_a_statement_waiting_past_the_database_timeout_is_a_timeout(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    overrides = {"db_statement_timeout": 0.3, "sqlite_busy_timeout": 0.3, "request_timeout": 30}
    async with bounded(server, **overrides) as (live, quick):
        async with writers_blocked(live):
            # When a write waits on a lock past PostgreSQL's statement_timeout or SQLite's
            # busy timeout (well before the request's own deadline)
            response = await quick.post(VISIT, token=candidate.token)
            # Then the database's refusal is a stable TIMEOUT, not an internal error
            assert response.status_code == 504, response.text
            assert codes(response.json()) == ["TIMEOUT"]
        await settled(live)


async def test_past_the_in_flight_bound_answers_503_at_once(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    overrides = {"max_requests_in_flight": 2, "request_timeout": 10.0, "sqlite_busy_timeout": 10.0}
    async with bounded(server, **overrides) as (live, quick):
        async with writers_blocked(live):
            # Given two requests in flight (waiting on a lock)
            slow = [asyncio.create_task(quick.post(VISIT, token=candidate.token)) for _ in range(2)]
            for _ in range(500):
                if live.app.state.in_flight.count == 2:
                    break
                await asyncio.sleep(0.01)
            assert live.app.state.in_flight.count == 2
            # When a third arrives, it is refused at once with Retry-After
            refused = await quick.post("{ __typename }")
            assert refused.status_code == 503
            assert refused.headers["retry-after"].isdigit()
            assert codes(refused.json()) == ["OVERLOADED"]
        # And once the lock is gone, the two complete and the server serves again
        for done in await asyncio.gather(*slow):
            assert done.status_code == 200
        await settled(live)
        assert (await quick("{ __typename }")) == {"__typename": "Query"}


async def test_no_free_connection_is_a_503(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with bounded(server, db_pool_timeout=0.2) as (live, quick):
        await settled(live)
        engine = live.runtime.engine
        pool: Any = engine.pool
        held = [await engine.connect() for _ in range(pool.size() + pool._max_overflow)]
        try:
            # When every pooled connection is taken (anonymous read, signed-in request)
            for token in (None, candidate.token):
                response = await quick.post('{ offer(number: "048KLTP") { id } }', token=token)
                # Then the answer is a 503 with its own code, not a 500
                assert response.status_code == 503, response.text
                assert response.headers["retry-after"].isdigit()
                assert codes(response.json()) == ["POOL_TIMEOUT"]
        finally:
            for conn in held:
                await conn.close()
        assert (await quick('{ offer(number: "048KLTP") { id } }')) == {"offer": None}


async def test_database_timeouts_are_set(server: LiveServer) -> None:
    async with server.runtime.engine.connect() as conn:
        if server.settings.is_sqlite:
            busy = (await conn.execute(text("PRAGMA busy_timeout"))).scalar()
            assert busy == int(server.settings.sqlite_busy_timeout * 1000)
        else:
            timeout = (await conn.execute(text("SHOW statement_timeout"))).scalar()
            assert timeout == "10s"


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")  # pragma: no cover


async def abandon(server: LiveServer, token: str, count: int) -> None:
    """Send ``count`` slow requests, 50 at a time, and hang up before any answer."""
    body = json.dumps({"query": VISIT}).encode()
    head = (
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    port = int(server.url.rsplit(":", 1)[1])

    async def one() -> None:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head + body)
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.close()
        await writer.wait_closed()

    for start in range(0, count, 50):
        await asyncio.gather(*(one() for _ in range(min(50, count - start))))
        await settled(server)


async def tasks_settle(limit: int, within: float = 10.0) -> bool:
    """Whether the loop's tasks come back to ``limit`` (background work such as a session
    touch or an outbox poll may be running at the moment of one look)."""
    deadline = asyncio.get_running_loop().time() + within
    while len(asyncio.all_tasks()) > limit:
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def test_memory_returns_after_400_abandoned_requests(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with bounded(server, request_timeout=0.3, sqlite_busy_timeout=0.5) as (live, _):
        async with writers_blocked(live):
            await abandon(live, candidate.token, 100)  # warm-up: caches, pools
            gc.collect()
            tasks_before, rss_before = len(asyncio.all_tasks()), rss_bytes()
            await abandon(live, candidate.token, 400)
        await settled(live)
        gc.collect()
        grown = rss_bytes() - rss_before
        # Every request ended (none in flight, every connection back, no task left), and
        # the memory came back: 400 hung requests used to keep 36 MiB.
        assert await tasks_settle(tasks_before), asyncio.all_tasks()
        assert grown < 8 * 1024 * 1024, f"RSS grew by {grown / 2**20:.1f} MiB"
