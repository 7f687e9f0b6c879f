"""Live updates over the socket: dashboard events (replay, reconnect, rollback), the
announcements broadcast per région, fan-out groups, and sockets closed with their session."""

from __future__ import annotations

import asyncio
from typing import Any

from espace.ws import Hub
from schema.core.base import decode_cursor
from tests.conftest import LiveServer
from tests.support.accounts import (
    DEFAULT_PASSWORD,
    account_row,
    event_rows,
    sign_in_candidate,
    sign_up_candidate,
    sign_up_employer,
)
from tests.support.client import GraphQL
from tests.support.dossiers import DOSSIER_CREATE, create_dossier, dre, sign_up_adviser
from tests.support.ws import WSClient, eventually, subscribed

DASHBOARD_EVENTS = """
subscription DashboardEvents($after: String) {
  dashboardEvents(after: $after) { id kind message cursor }
}
"""
ANNOUNCEMENTS = "subscription { announcements { id kind title regionCode } }"
ANNOUNCEMENT_PUBLISH = """
mutation ($input: AnnouncementPublishInput!) {
  announcementPublish(input: $input) { announcement { id } userErrors { field code } }
}
"""
SESSION_REVOKE = "mutation { sessionRevoke { revokedCount userErrors { code } } }"
SESSION_REVOKE_ALL = """
mutation ($input: SessionRevokeAllInput) {
  sessionRevokeAll(input: $input) { revokedCount userErrors { code } }
}
"""
PASSWORD_CHANGE = """
mutation ($input: PasswordChangeInput!) {
  passwordChange(input: $input) { viewer { id } userErrors { field code } }
}
"""
RESET_REQUEST = """
mutation ($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { accepted userErrors { code } }
}
"""
RESET = """
mutation ($input: PasswordResetInput!) {
  passwordReset(input: $input) { ok userErrors { field code } }
}
"""


def hub_of(server: LiveServer) -> Hub:
    hub: Hub = server.app.state.hub
    return hub


async def sign_in_again(api: GraphQL, identifiant: str, postal_code: str = "22200") -> str:
    """A new session for the candidat (records a SIGNED_IN event); its token."""
    session = await sign_in_candidate(api, identifiant, DEFAULT_PASSWORD, postal_code)
    assert session["userErrors"] == [], session
    token: str = session["token"]
    return token


async def publish(
    api: GraphQL, adviser: str, title: str, region: str | None = None
) -> dict[str, Any]:
    data = await api(
        ANNOUNCEMENT_PUBLISH,
        {"input": {"kind": "ACTUALITE", "title": title, "body": "Détails.", "regionCode": region}},
        token=adviser,
    )
    assert data["announcementPublish"]["userErrors"] == []
    announcement: dict[str, Any] = data["announcementPublish"]["announcement"]
    return announcement


def hub_tasks() -> list[str]:
    """The names of the running tasks whose code is the WebSocket server's."""
    names = []
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        if code is not None and "/espace/ws/" in code.co_filename:
            names.append(task.get_name())
    return sorted(names)


def _id(cursor: str) -> int:
    """The event id in a cursor."""
    value = decode_cursor(cursor)
    assert value is not None
    return value


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [e["dashboardEvents"]["kind"] for e in events]


async def test_a_mutation_pushes_its_dashboard_event(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws:
        await eventually(lambda: bool(hub_of(server).groups))
        # when the candidat creates a dossier
        await create_dossier(api, candidate.token, name="DRE1")
        # then the event arrives live, as the dashboard shows it
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["kind"] == "DOSSIER_CREATED"
        assert event["message"] == "Dossier « DRE1 » créé."
        account = await account_row(server, identifiant=candidate.identifiant)
        assert decode_cursor(event["cursor"]) == (await event_rows(server, account.id))[-1].id


async def test_a_rolled_back_mutation_pushes_nothing(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws:
        await eventually(lambda: bool(hub_of(server).groups))
        # when a dossier is refused (its transaction rolls back)
        data = await api(DOSSIER_CREATE, {"input": dre(postalCode="2")}, token=candidate.token)
        assert data["dossierCreate"]["userErrors"]
        # then nothing is pushed
        await ws.nothing_for(0.4)
        # and the next committed change is the next event
        await create_dossier(api, candidate.token)
        assert kinds([await ws.next_data("1")]) == ["DOSSIER_CREATED"]


async def test_replay_after_a_cursor_then_live_without_gap_or_duplicate(
    api: GraphQL, server: LiveServer
) -> None:
    # given a candidat with events: SIGNED_IN, then three dossiers
    candidate = await sign_up_candidate(api)
    for name in ("A1", "A2", "A3"):
        await create_dossier(api, candidate.token, name=name)
    account = await account_row(server, identifiant=candidate.identifiant)
    first, *rest = await event_rows(server, account.id)
    cursor = await api(
        "{ viewer { dashboard { events(first: 10) { edges { node { id cursor } } } } } }",
        token=candidate.token,
    )
    after = cursor["viewer"]["dashboard"]["events"]["edges"][-1]["node"]["cursor"]
    assert decode_cursor(after) == first.id
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS, {"after": after}) as ws:
        # while more events are committed during the replay
        writer = asyncio.create_task(create_dossier(api, candidate.token, name="B1"))
        replayed = await ws.collect("1", 4)
        await writer
        # then every event after the cursor comes once, in order
        ids = [_id(e["dashboardEvents"]["cursor"]) for e in replayed]
        assert ids == [e.id for e in (await event_rows(server, account.id))[1:]]
        assert ids == sorted(set(ids)) and ids[:3] == [e.id for e in rest]
        # and live events follow
        await create_dossier(api, candidate.token, name="B2")
        assert kinds([await ws.next_data("1")]) == ["DOSSIER_CREATED"]
        await ws.nothing_for(0.2)


async def test_without_a_cursor_only_new_events_come(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token)
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws:
        await ws.nothing_for(0.3)
        await sign_in_again(api, candidate.identifiant)
        assert kinds([await ws.next_data("1")]) == ["SIGNED_IN"]


async def test_reconnecting_with_the_last_cursor_loses_nothing(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    account = await account_row(server, identifiant=candidate.identifiant)
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws:
        await eventually(lambda: bool(hub_of(server).groups))
        await create_dossier(api, candidate.token, name="AVANT")
        seen = [(await ws.next_data("1"))["dashboardEvents"]]
    # when events are committed while disconnected
    await eventually(lambda: not hub_of(server).connections)
    await create_dossier(api, candidate.token, name="PENDANT1")
    await sign_in_again(api, candidate.identifiant)
    await create_dossier(api, candidate.token, name="PENDANT2")
    # then reconnecting with the last cursor brings exactly those, then live ones
    last = seen[-1]["cursor"]
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS, {"after": last}) as ws:
        missed = [e["dashboardEvents"] for e in await ws.collect("1", 3)]
        await ws.nothing_for(0.3)
        await create_dossier(api, candidate.token, name="APRES")
        seen += [*missed, (await ws.next_data("1"))["dashboardEvents"]]
    ids = [_id(e["cursor"]) for e in seen]
    logged = [e.id for e in await event_rows(server, account.id)]
    assert ids == logged[1:]  # all but the sign-up's SIGNED_IN, which came before
    assert [e["kind"] for e in missed] == ["DOSSIER_CREATED", "SIGNED_IN", "DOSSIER_CREATED"]


async def test_announcements_reach_every_candidat_of_their_region(
    api: GraphQL, server: LiveServer
) -> None:
    hub = hub_of(server)
    adviser = await sign_up_adviser(server, api)
    bretons = [await sign_up_candidate(api, postal_code=pc) for pc in ("22200", "22200", "29200")]
    parisienne = await sign_up_candidate(api, postal_code="75011")
    employer = await sign_up_employer(api)  # no postal code: national news only
    tokens = [c.token for c in [*bretons, parisienne]] + [employer.token]
    sockets: list[WSClient] = []
    async with asyncio.TaskGroup() as group:
        openers = [group.create_task(_subscribe(server, token)) for token in tokens]
    sockets = [task.result() for task in openers]
    try:
        await eventually(lambda: sum(len(g.members) for g in hub.groups.values()) == 5)
        # one group per région (the employer has none), each executed once per announcement
        assert sorted(len(g.members) for g in hub.groups.values()) == [1, 1, 3]
        # and no task per socket or per subscription: only the hub's own
        assert hub_tasks() == ["ws-heartbeat", *(f"ws-worker-{n}" for n in range(4))]
        before = hub.executions
        # when an adviser publishes national news
        national = await publish(api, adviser, "Semaine de l'emploi")
        # then everyone receives it, from one execution per group
        for ws in sockets:
            got = (await ws.next_data("1"))["announcements"]
            assert got["id"] == national["id"] and got["regionCode"] is None
        assert hub.executions - before == 3
        # when news for Bretagne (53) is published
        await publish(api, adviser, "Forum de Saint-Brieuc", region="53")
        # then only the candidats of Bretagne receive it
        for ws in sockets[:3]:
            assert (await ws.next_data("1"))["announcements"]["regionCode"] == "53"
        for ws in sockets[3:]:
            await ws.nothing_for(0.3)
        assert hub.executions - before == 4
    finally:
        for ws in sockets:
            await ws.ws.close()


async def _subscribe(server: LiveServer, token: str) -> WSClient:
    from websockets.asyncio.client import connect

    from tests.support.ws import PROTOCOL, ws_url

    ws = WSClient(await connect(ws_url(server), subprotocols=[PROTOCOL], ping_interval=None))
    await ws.init(token)
    await ws.subscribe("1", ANNOUNCEMENTS)
    return ws
