"""graphql-transport-ws operations: ping and pong, complete, the subscription limit, errors,
mutations over the socket, slow peers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from espace.ws import Hub
from espace.ws.topics import default_topics
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import sign_up_adviser
from tests.support.ws import eventually, ws_connect
from tests.ws.test_ws import (
    ANNOUNCEMENT_PUBLISH,
    ANNOUNCEMENTS,
    DASHBOARD_EVENTS,
    DASHBOARD_VISIT,
    hub_of,
)


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
