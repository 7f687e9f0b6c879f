"""Subscriptions over Server-Sent Events (graphql-sse, "distinct connections" mode), read
with httpx streaming; and the clear refusal of a subscription sent as plain JSON."""

from __future__ import annotations

import hashlib
import logging
import time

import httpx
import orjson
import pytest

from espace.ws import Hub
from models.dashboard import EventKind
from resolvers.dashboard.events import record_event
from schema.core.base import decode_cursor, encode_cursor
from tests.conftest import LiveServer
from tests.support.accounts import account_row, event_rows, sign_up_candidate, write_session
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.sse import SSEStream, sse_headers, sse_stream
from tests.support.ws import eventually

DASHBOARD_EVENTS = """
subscription DashboardEvents($after: String) {
  dashboardEvents(after: $after) { id kind cursor }
}
"""
EVENTS = "{ viewer { dashboard { events(first: 10) { edges { node { id cursor } } } } } }"
VIEWER = "query Me { viewer { id kind } }"
SESSION_REVOKE = "mutation { sessionRevoke { revokedCount } }"


def hub_of(server: LiveServer) -> Hub:
    hub: Hub = server.app.state.hub
    return hub


def following(server: LiveServer) -> bool:
    """A subscription has joined its group: what commits from now on reaches it."""
    return any(group.members for group in hub_of(server).groups.values())


def kind(data: dict[str, object]) -> object:
    event = data["dashboardEvents"]
    assert isinstance(event, dict)
    return event["kind"]


async def test_replay_after_a_cursor_then_live_events(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    # given a candidat with events: SIGNED_IN, then two dossiers
    candidate = await sign_up_candidate(api)
    for name in ("A1", "A2"):
        await create_dossier(api, candidate.token, name=name)
    account = await account_row(server, identifiant=candidate.identifiant)
    first, *rest = await event_rows(server, account.id)
    edges = (await api(EVENTS, token=candidate.token))["viewer"]["dashboard"]["events"]["edges"]
    oldest = edges[-1]["node"]["cursor"]
    assert decode_cursor(oldest) == first.id
    async with sse_stream(
        http, DASHBOARD_EVENTS, {"after": oldest}, token=candidate.token
    ) as stream:
        # then the events after the cursor come, in order
        replayed = [await stream.next_data() for _ in rest]
        ids = [decode_cursor(str(e["dashboardEvents"]["cursor"])) for e in replayed]
        assert ids == [e.id for e in rest]
        # and live ones follow
        await create_dossier(api, candidate.token, name="B1")
        assert kind(await stream.next_data()) == "DOSSIER_CREATED"
        await stream.nothing_for(0.2)


async def test_a_replay_longer_than_the_backlog_is_written_while_it_is_read(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    # given an account with more events than a stream may hold unwritten (256)
    candidate = await sign_up_candidate(api)
    account = await account_row(server, identifiant=candidate.identifiant)
    async with write_session(server) as session:
        for _ in range(600):
            await record_event(session, account.id, EventKind.SIGNED_IN)
    logged = [e.id for e in await event_rows(server, account.id)]
    # when a client replays the whole log
    async with sse_stream(
        http, DASHBOARD_EVENTS, {"after": encode_cursor(0)}, token=candidate.token
    ) as stream:
        received = [await stream.next_data() for _ in logged]
        await stream.nothing_for(0.2)
    # then every event comes, once, in order
    assert [decode_cursor(e["dashboardEvents"]["cursor"]) for e in received] == logged


async def test_a_get_request_streams_too(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    # as the browser's EventSource sends it (query parameters; the token here in a header)
    candidate = await sign_up_candidate(api)
    async with http.stream(
        "GET",
        "/graphql",
        params={"query": DASHBOARD_EVENTS, "variables": "{}"},
        headers=sse_headers(candidate.token),
    ) as response:
        assert response.status_code == 200
        stream = SSEStream(response)
        await eventually(lambda: following(server))
        await create_dossier(api, candidate.token)
        assert kind(await stream.next_data()) == "DOSSIER_CREATED"
        await stream.aclose()


async def test_a_query_runs_once_then_completes(api: GraphQL, http: httpx.AsyncClient) -> None:
    candidate = await sign_up_candidate(api)
    async with sse_stream(http, VIEWER, token=candidate.token) as stream:
        assert await stream.next_data() == {
            "viewer": {"id": candidate.viewer_id, "kind": "CANDIDAT"}
        }
        await stream.completed()


async def test_validation_errors_come_as_next_then_complete(
    api: GraphQL, http: httpx.AsyncClient
) -> None:
    candidate = await sign_up_candidate(api)
    async with sse_stream(
        http, "subscription { dashboardEvents { nope } }", token=candidate.token
    ) as stream:
        payload = await stream.next_payload()
        assert payload["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        await stream.completed()
    # and a malformed cursor is reported the same way
    async with sse_stream(
        http, DASHBOARD_EVENTS, {"after": "pas-un-curseur"}, token=candidate.token
    ) as stream:
        payload = await stream.next_payload()
        assert payload["errors"][0]["extensions"]["code"] == "BAD_CURSOR"
        await stream.completed()


@pytest.mark.parametrize("token", [None, "not-a-token"], ids=["missing", "unknown"])
async def test_without_a_valid_token_no_stream_opens(
    http: httpx.AsyncClient, token: str | None
) -> None:
    body = {"query": DASHBOARD_EVENTS}
    response = await http.post("/graphql", json=body, headers=sse_headers(token))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_mutation_over_get_is_refused(api: GraphQL, http: httpx.AsyncClient) -> None:
    candidate = await sign_up_candidate(api)
    response = await http.get(
        "/graphql",
        params={"query": "mutation { dashboardVisit { userErrors { code } } }"},
        headers=sse_headers(candidate.token),
    )
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "MUTATION_OVER_GET"


async def test_sign_out_ends_the_stream_with_unauthenticated(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with sse_stream(http, DASHBOARD_EVENTS, token=candidate.token) as stream:
        await eventually(lambda: following(server))
        await api(SESSION_REVOKE, token=candidate.token)
        start = time.monotonic()
        payload = await stream.next_payload(timeout=2)
        assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        await stream.completed(timeout=2)
        assert time.monotonic() - start < 2
    assert not hub_of(server).connections


async def test_closing_the_response_stops_the_subscription(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with sse_stream(http, DASHBOARD_EVENTS, token=candidate.token):
        await eventually(lambda: bool(hub_of(server).groups))
        assert len(hub_of(server).connections) == 1
    await eventually(lambda: not hub_of(server).connections and not hub_of(server).groups)


async def test_a_persisted_subscription_streams_by_hash(
    api: GraphQL, http: httpx.AsyncClient, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    digest = hashlib.sha256(DASHBOARD_EVENTS.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    async with sse_stream(http, DASHBOARD_EVENTS, token=candidate.token, extensions=extensions):
        pass
    body = {"extensions": extensions, "variables": {}}
    async with http.stream(
        "POST", "/graphql", json=body, headers=sse_headers(candidate.token)
    ) as response:
        assert response.status_code == 200
        stream = SSEStream(response)
        await eventually(lambda: following(server))
        await create_dossier(api, candidate.token)
        assert kind(await stream.next_data()) == "DOSSIER_CREATED"
        await stream.aclose()


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_a_subscription_over_json_http_is_a_clear_400(
    http: httpx.AsyncClient, method: str, caplog: pytest.LogCaptureFixture
) -> None:
    query = "subscription { announcements { id } }"
    with caplog.at_level(logging.ERROR):
        if method == "POST":
            response = await http.post("/graphql", json={"query": query})
        else:
            response = await http.get(
                "/graphql", params={"query": query}, headers={"accept": "application/json"}
            )
    assert response.status_code == 400
    error = orjson.loads(response.content)["errors"][0]
    assert error["extensions"]["code"] == "SUBSCRIPTION_OVER_HTTP"
    assert "text/event-stream" in error["message"]
    # no traceback: nothing was executed
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("settings_overrides", [{"ws_ping_interval": 0.1}], ids=["fast-ping"])
async def test_the_heartbeat_keeps_an_idle_stream_alive(
    api: GraphQL, http: httpx.AsyncClient
) -> None:
    candidate = await sign_up_candidate(api)
    async with sse_stream(http, DASHBOARD_EVENTS, token=candidate.token) as stream:
        # comment lines only: no event reaches the client's handlers
        await stream.nothing_for(0.5)
        assert stream.comments >= 2
