"""The ``graphql-sse`` client from npm against the live server: replay from a cursor then
live events, sign-out ending the stream, a refused token.

The client is pinned in tests/node_clients/package-lock.json and installed with ``npm ci``
(by .ci/run, or by the ``node`` fixture when node_modules is missing or older than the lock
file). Without Node.js and npm the tests are skipped and say why.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson

from espace.ws import Hub
from schema.core.base import decode_cursor
from tests.conftest import LiveServer
from tests.support.accounts import account_row, event_rows, sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.ws import eventually

CLIENT = Path(__file__).resolve().parents[1] / "node_clients"
DASHBOARD_EVENTS = """
subscription DashboardEvents($after: String) {
  dashboardEvents(after: $after) { id kind cursor }
}
"""
EVENTS = "{ viewer { dashboard { events(first: 10) { edges { node { cursor } } } } } }"


class Subscriber:
    """A running ``node subscribe.mjs``: its JSON lines, one per callback of the client."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def line(self, timeout: float = 10.0) -> dict[str, Any]:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        assert raw, "the client exited early"
        value: dict[str, Any] = orjson.loads(raw)
        return value

    async def data(self) -> dict[str, Any]:
        line = await self.line()
        assert "next" in line and "errors" not in line["next"], line
        data: dict[str, Any] = line["next"]["data"]
        return data


@asynccontextmanager
async def subscriber(
    node: str,
    server: LiveServer,
    token: str,
    count: int,
    variables: dict[str, Any] | None = None,
) -> AsyncIterator[Subscriber]:
    process = await asyncio.create_subprocess_exec(
        node,
        str(CLIENT / "subscribe.mjs"),
        f"{server.url}/graphql",
        token,
        str(count),
        DASHBOARD_EVENTS,
        orjson.dumps(variables or {}).decode(),
        stdout=asyncio.subprocess.PIPE,
        cwd=CLIENT,
    )
    try:
        yield Subscriber(process)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def hub_of(server: LiveServer) -> Hub:
    hub: Hub = server.app.state.hub
    return hub


async def test_the_graphql_sse_client_replays_from_a_cursor_then_follows_live(
    node: str, api: GraphQL, server: LiveServer
) -> None:
    # given a candidat with events: SIGNED_IN, then two dossiers
    candidate = await sign_up_candidate(api)
    for name in ("A1", "A2"):
        await create_dossier(api, candidate.token, name=name)
    account = await account_row(server, identifiant=candidate.identifiant)
    first, *rest = await event_rows(server, account.id)
    edges = (await api(EVENTS, token=candidate.token))["viewer"]["dashboard"]["events"]["edges"]
    oldest = edges[-1]["node"]["cursor"]
    # when the npm client subscribes after the oldest one
    async with subscriber(node, server, candidate.token, 3, {"after": oldest}) as client:
        replayed = [await client.data() for _ in rest]
        # then it receives the events after it, in order
        ids = [decode_cursor(e["dashboardEvents"]["cursor"]) for e in replayed]
        assert ids == [e.id for e in rest]
        # and a live one
        await create_dossier(api, candidate.token, name="B1")
        live = await client.data()
        assert live["dashboardEvents"]["kind"] == "DOSSIER_CREATED"
    assert decode_cursor(live["dashboardEvents"]["cursor"]) not in {first.id, *ids}
    await eventually(lambda: not hub_of(server).connections)


async def test_sign_out_ends_the_graphql_sse_subscription(
    node: str, api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with subscriber(node, server, candidate.token, 5) as client:
        await eventually(lambda: bool(hub_of(server).groups), timeout=10)
        await api("mutation { sessionRevoke { revokedCount } }", token=candidate.token)
        ended = await client.line()
        assert ended["next"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert await client.line() == {"complete": True}


async def test_the_graphql_sse_client_reports_a_refused_token(
    node: str, server: LiveServer
) -> None:
    async with subscriber(node, server, "not-a-token", 1) as client:
        line = await client.line()
        assert "401" in line["error"], line
