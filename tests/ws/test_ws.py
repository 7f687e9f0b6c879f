"""The graphql-transport-ws protocol on /graphql: handshake, authentication, every close
code, ping/pong, limits, and operations other than the fan-out topics."""

from __future__ import annotations

from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from espace.ws import Hub
from espace.ws.auth import MALFORMED, MISSING, REFUSED
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.ws import Closed, ws_connect

DASHBOARD_EVENTS = """
subscription DashboardEvents($after: String) {
  dashboardEvents(after: $after) { id kind message cursor }
}
"""
ANNOUNCEMENTS = "subscription { announcements { id title regionCode } }"
VIEWER = "query Me { viewer { id kind } }"
DASHBOARD_VISIT = "mutation { dashboardVisit { dashboard { lastVisitAt } userErrors { code } } }"
ANNOUNCEMENT_PUBLISH = """
mutation ($input: AnnouncementPublishInput!) {
  announcementPublish(input: $input) { announcement { id } userErrors { field code } }
}
"""


def hub_of(server: LiveServer) -> Hub:
    hub: Hub = server.app.state.hub
    return hub


async def test_a_valid_token_in_connection_init_is_acknowledged(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        # the server speaks graphql-transport-ws
        assert ws.subprotocol == "graphql-transport-ws"
        # and acknowledges a connection_init carrying a valid bearer token
        assert await ws.init(candidate.token) == {"type": "connection_ack"}
        # then queries run over the socket as the viewer
        await ws.subscribe("q", VIEWER)
        assert await ws.next_data("q") == {
            "viewer": {"id": candidate.viewer_id, "kind": "CANDIDAT"}
        }
        assert await ws.receive() == {"id": "q", "type": "complete"}


async def test_the_legacy_graphql_ws_subprotocol_is_refused_with_4406(server: LiveServer) -> None:
    # a client offering only the legacy protocol is accepted without a subprotocol, then closed
    async with ws_connect(server, subprotocols=["graphql-ws"]) as ws:
        assert ws.subprotocol is None
        closed = await ws.closed()
    assert (closed.code, closed.reason) == (4406, "Subprotocol not acceptable")
    # and so is a client offering none
    async with ws_connect(server, subprotocols=[]) as ws:
        assert (await ws.closed()).code == 4406


@pytest.mark.parametrize(
    "settings_overrides", [{"allowed_origins": ["https://espace.example"]}], ids=["allowlist"]
)
async def test_origins_outside_the_allowlist_are_refused_at_the_handshake(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    # a page on another origin cannot open a socket: HTTP 403
    with pytest.raises(InvalidStatus) as refused:
        async with ws_connect(server, origin="https://evil.example"):
            pass
    assert refused.value.response.status_code == 403
    # the allowed origin (in any case, default port spelled out) and non-browsers can
    for origin in ("https://espace.example", "HTTPS://Espace.Example:443", None):
        async with ws_connect(server, origin=origin) as ws:
            await ws.init(candidate.token)


async def test_without_an_allowlist_any_origin_may_connect(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server, origin="https://anywhere.example") as ws:
        await ws.init(candidate.token)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({}, MISSING),
        ({"headers": {}}, MISSING),
        ({"authorization": "Bearer not-a-token"}, REFUSED),
        ({"headers": {"Authorization": "Bearer not-a-token"}}, REFUSED),
        ({"authorization": "Basic dXNlcjpwYXNz"}, MALFORMED),
        ({"authorization": 42}, MALFORMED),
    ],
    ids=["missing", "empty-headers", "unknown", "unknown-in-headers", "not-bearer", "not-a-string"],
)
async def test_a_missing_or_bad_token_closes_with_4403_saying_why(
    server: LiveServer, payload: dict[str, Any], reason: str
) -> None:
    async with ws_connect(server) as ws:
        await ws.send({"type": "connection_init", "payload": payload})
        closed = await ws.closed()
    assert (closed.code, closed.reason) == (4403, reason)


async def test_a_revoked_token_closes_with_4403(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    await api("mutation { sessionRevoke { revokedCount } }", token=candidate.token)
    async with ws_connect(server) as ws:
        await ws.send(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {candidate.token}"}}
        )
        assert await ws.closed() == Closed(4403, "Jeton invalide ou expiré")


@pytest.mark.parametrize("settings_overrides", [{"ws_init_timeout": 0.3}], ids=["short"])
async def test_no_connection_init_in_time_closes_with_4408(server: LiveServer) -> None:
    async with ws_connect(server) as ws:
        # a ping does not count as initialisation
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}
        closed, waited = await ws.closed_within(2)
    assert (closed.code, closed.reason) == (4408, "Connection initialisation timeout")
    assert 0.2 < waited < 2.5


async def test_a_second_connection_init_closes_with_4429(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.send({"type": "connection_init", "payload": {}})
        closed = await ws.closed()
    assert (closed.code, closed.reason) == (4429, "Too many initialisation requests")


async def test_subscribe_before_the_ack_closes_with_4401(server: LiveServer) -> None:
    async with ws_connect(server) as ws:
        await ws.subscribe("1", DASHBOARD_EVENTS)
        closed = await ws.closed()
    assert (closed.code, closed.reason) == (4401, "Unauthorized")


async def test_an_operation_id_already_active_closes_with_4409(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("dup", DASHBOARD_EVENTS)
        await ws.subscribe("dup", DASHBOARD_EVENTS)
        closed = await ws.closed()
    assert (closed.code, closed.reason) == (4409, "Subscriber for dup already exists")


async def test_an_id_can_be_reused_once_completed(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("1", DASHBOARD_EVENTS)
        await ws.complete("1")
        await ws.subscribe("1", DASHBOARD_EVENTS)
        await api(DASHBOARD_VISIT, token=candidate.token)  # no event: nothing to push
        await ws.nothing_for(0.3)


@pytest.mark.parametrize(
    "message",
    [
        "{not json",
        "[]",
        '{"type": "subscribe"}',
        '{"type": 3}',
        '{"type": "hello"}',
        '{"type": "subscribe", "id": "1", "payload": {"query": 3}}',
        '{"type": "subscribe", "id": "", "payload": {"query": "{ viewer { id } }"}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "variables": []}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "operationName": 1}}',
        '{"type": "subscribe", "id": "1", "payload": "{ viewer { id } }"}',
        '{"type": "complete"}',
        '{"type": "ping", "payload": "hello"}',
        '{"type": "next", "id": "1", "payload": {}}',
        '{"type": "connection_ack"}',
    ],
    ids=[
        "bad-json",
        "not-an-object",
        "missing-id",
        "type-not-a-string",
        "unknown-type",
        "query-not-a-string",
        "empty-id",
        "variables-not-an-object",
        "operation-name-not-a-string",
        "payload-not-an-object",
        "complete-without-id",
        "ping-payload-not-an-object",
        "server-message-next",
        "server-message-ack",
    ],
)
async def test_an_invalid_message_closes_with_4400(
    api: GraphQL, server: LiveServer, message: str
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.send(message)
        closed = await ws.closed()
    assert closed.code == 4400
    assert closed.reason


async def test_an_invalid_message_before_init_also_closes_with_4400(server: LiveServer) -> None:
    async with ws_connect(server) as ws:
        await ws.send("{not json")
        assert (await ws.closed()).code == 4400
