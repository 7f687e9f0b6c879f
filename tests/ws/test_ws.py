"""The graphql-transport-ws protocol on /graphql: handshake, authentication, every close
code, ping/pong, limits, and operations other than the fan-out topics."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from espace.ws import Hub
from espace.ws.auth import MALFORMED, MISSING, REFUSED
from espace.ws.topics import default_topics
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import sign_up_adviser
from tests.support.ws import Closed, eventually, ws_connect

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


async def test_ping_is_answered_with_pong_echoing_its_payload(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.send({"type": "ping", "payload": {"sent": 12}})
        assert await ws.receive() == {"type": "pong", "payload": {"sent": 12}}
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}
        # a pong from the client needs no answer
        await ws.send({"type": "pong"})
        await ws.nothing_for(0.2)


@pytest.mark.parametrize("settings_overrides", [{"ws_ping_interval": 0.1}], ids=["fast"])
async def test_the_server_pings_every_interval(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws, ws_connect(server) as other:
        await ws.init(candidate.token)
        await other.init(candidate.token)
        await ws.nothing_for(0.55)
        await other.nothing_for(0.05)
    assert 2 <= ws.pings <= 7
    assert other.pings >= 2
    # one process-wide heartbeat task, not one per socket
    tasks = [t.get_name() for t in asyncio.all_tasks() if t.get_name().startswith("ws-")]
    assert tasks.count("ws-heartbeat") == 1


async def test_complete_stops_the_operation(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    hub = hub_of(server)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("1", DASHBOARD_EVENTS)
        await eventually(lambda: len(hub.groups) == 1)
        # when the client completes it
        await ws.complete("1")
        await eventually(lambda: not hub.groups)
        # then events are not pushed any more
        await sign_up_candidate_session(api, candidate.identifiant)
        await ws.nothing_for(0.3)


async def sign_up_candidate_session(api: GraphQL, identifiant: str) -> None:
    """Sign the candidat in again: records a SIGNED_IN event."""
    from tests.support.accounts import DEFAULT_PASSWORD, sign_in_candidate

    session = await sign_in_candidate(api, identifiant, DEFAULT_PASSWORD, "22200")
    assert session["userErrors"] == []


async def test_at_most_twenty_subscriptions_per_connection(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        for n in range(20):
            await ws.subscribe(f"s{n}", DASHBOARD_EVENTS)
        # the 21st is refused with an error, the socket stays open
        await ws.subscribe("s20", DASHBOARD_EVENTS)
        error = await ws.receive()
        assert error["id"] == "s20" and error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        # completing one makes room again
        await ws.complete("s0")
        await ws.subscribe("s21", DASHBOARD_EVENTS)
        await sign_up_candidate_session(api, candidate.identifiant)
        pushed = {(await ws.receive())["id"] for _ in range(20)}
        assert pushed == {f"s{n}" for n in range(1, 22) if n != 20}


async def test_validation_errors_answer_an_error_message(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("v", "subscription { dashboardEvents { nope } }")
        error = await ws.receive()
        assert error["id"] == "v" and error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        await ws.subscribe("p", "subscription { dashboardEvents { ")
        error = await ws.receive()
        assert error["payload"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
        # two root fields in one subscription are refused too
        await ws.subscribe("two", "subscription { dashboardEvents { id } announcements { id } }")
        assert (await ws.receive())["type"] == "error"
        # the document limits apply as over HTTP
        aliases = " ".join(f"a{n}: id" for n in range(16))
        await ws.subscribe("aliases", "subscription { dashboardEvents { " + aliases + " } }")
        error = await ws.receive()
        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"
        # and the socket goes on
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}


async def test_errors_found_while_running_answer_next_then_complete(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("c", DASHBOARD_EVENTS, {"after": "not-a-cursor"})
        message = await ws.receive()
        assert message["type"] == "next"
        assert message["payload"]["errors"][0]["extensions"]["code"] == "BAD_CURSOR"
        assert await ws.receive() == {"id": "c", "type": "complete"}
        await ws.subscribe("v", DASHBOARD_EVENTS, {"after": 12})
        message = await ws.receive()
        assert message["type"] == "next" and message["payload"]["errors"]
        assert await ws.receive() == {"id": "v", "type": "complete"}


async def test_a_mutation_runs_once_over_the_socket(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("m", DASHBOARD_VISIT)
        data = await ws.next_data("m")
        assert data["dashboardVisit"]["userErrors"] == []
        assert data["dashboardVisit"]["dashboard"]["lastVisitAt"]
        assert await ws.receive() == {"id": "m", "type": "complete"}


async def test_other_subscription_fields_run_their_own_generator(
    api: GraphQL, server: LiveServer
) -> None:
    # given a hub where announcements are not a registered topic
    hub = hub_of(server)
    hub.topics = {t.field: t for t in default_topics() if t.field != "announcements"}
    candidate = await sign_up_candidate(api)
    adviser = await sign_up_adviser(server, api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("a", ANNOUNCEMENTS)
        await eventually(lambda: any(isinstance(op, asyncio.Task) for op in _ops(hub)))
        # when an adviser publishes
        await api(
            ANNOUNCEMENT_PUBLISH,
            {"input": {"kind": "ACTUALITE", "title": "Forum", "body": "Au Carré Rosengart."}},
            token=adviser,
        )
        # then Strawberry's generator delivers it
        data = await ws.next_data("a")
        assert data["announcements"]["title"] == "Forum"
        assert hub.executions == 0
        # and complete cancels that operation's task
        await ws.complete("a")
        await eventually(lambda: not list(_ops(hub)))


def _ops(hub: Hub) -> list[object]:
    return [op for conn in hub.connections for op in conn.ops.values()]


class _StubHub:
    """What a connection needs from its hub to push and close."""

    def __init__(self) -> None:
        self.forgotten = 0

    def forget(self, conn: object) -> None:
        self.forgotten += 1


async def test_a_slow_peer_never_blocks_the_sender_and_keeps_the_order() -> None:
    from espace.ws.connection import MAX_BACKLOG, Connection

    # given a peer whose second message waits on the network
    gate = asyncio.Event()
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        if message.get("text") == "2":
            await gate.wait()
        sent.append(message)

    async def receive() -> Any:
        raise AssertionError("not read here")

    hub = _StubHub()
    conn = Connection(hub, {"type": "websocket"}, receive, send)  # type: ignore[arg-type]
    # when messages are pushed, pushing never waits
    for text in "12345":
        conn.push(text)
    assert [m["text"] for m in sent] == ["1"]
    # then they go out in order once the peer reads again
    gate.set()
    await eventually(lambda: len(sent) == 5)
    assert [m["text"] for m in sent] == list("12345")
    # and a peer that stops reading for good is disconnected, not buffered forever
    gate.clear()
    for n in range(MAX_BACKLOG + 2):
        conn.push("2" if n == 0 else f"x{n}")
    assert conn.closed and hub.forgotten == 1
    await eventually(lambda: sent[-1]["type"] == "websocket.close")
    assert sent[-1]["code"] == 1013
    assert len(sent) == 6
