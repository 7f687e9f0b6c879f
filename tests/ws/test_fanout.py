"""Live updates over the socket: dashboard events (replay, reconnect, rollback), the
announcements broadcast per région, fan-out groups, and sockets closed with their session."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest
from sqlalchemy import update

from espace.ws import Hub
from espace.ws.topics import LogTopic
from models.base import utcnow
from models.dashboard import Event, EventKind
from models.identity import AuthSession
from resolvers.dashboard.events import record_event
from schema.core.base import decode_cursor
from schema.dashboard.events import DashboardEvent
from tests.conftest import LiveServer
from tests.support.accounts import (
    DEFAULT_PASSWORD,
    account_row,
    event_rows,
    sign_in_candidate,
    sign_up_candidate,
    sign_up_employer,
    write_session,
)
from tests.support.client import GraphQL, MailCatcher, links
from tests.support.dossiers import DOSSIER_CREATE, create_dossier, dre, sign_up_adviser
from tests.support.ws import WSClient, eventually, subscribed, ws_connect

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


async def test_one_user_s_sockets_share_one_execution(api: GraphQL, server: LiveServer) -> None:
    hub = hub_of(server)
    candidate = await sign_up_candidate(api)
    other_device = await sign_in_again(api, candidate.identifiant)
    async with (
        subscribed(server, candidate.token, DASHBOARD_EVENTS) as phone,
        subscribed(server, other_device, DASHBOARD_EVENTS) as laptop,
    ):
        await eventually(lambda: sum(len(g.members) for g in hub.groups.values()) == 2)
        assert len(hub.groups) == 1
        before = hub.executions
        await create_dossier(api, candidate.token)
        assert await phone.next_data("1") == await laptop.next_data("1")
        assert hub.executions - before == 1


async def test_two_users_never_share_a_group(api: GraphQL, server: LiveServer) -> None:
    hub = hub_of(server)
    alice, bob = await sign_up_candidate(api), await sign_up_candidate(api)
    async with (
        subscribed(server, alice.token, DASHBOARD_EVENTS) as alice_ws,
        subscribed(server, bob.token, DASHBOARD_EVENTS) as bob_ws,
    ):
        await eventually(lambda: sum(len(g.members) for g in hub.groups.values()) == 2)
        # the same document and variables, but two authorisation scopes
        assert len(hub.groups) == 2
        for group in hub.groups.values():
            assert len({m.conn.viewer.account.id for m in group.members if m.conn.viewer}) == 1
        # alice's event reaches alice only
        await create_dossier(api, alice.token)
        assert kinds([await alice_ws.next_data("1")]) == ["DOSSIER_CREATED"]
        await bob_ws.nothing_for(0.3)


async def test_sign_out_closes_that_session_s_sockets_within_two_seconds(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    other = await sign_in_again(api, candidate.identifiant)
    async with (
        subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws,
        subscribed(server, other, DASHBOARD_EVENTS) as other_ws,
    ):
        await api(SESSION_REVOKE, token=candidate.token)
        closed, waited = await ws.closed_within(2)
        assert (closed.code, closed.reason) == (4403, "Session terminée : jeton révoqué ou expiré")
        assert waited < 2
        # the other session's socket goes on
        await other_ws.send({"type": "ping"})
        assert await other_ws.receive() == {"type": "pong"}


async def test_sign_out_everywhere_closes_every_socket(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    other = await sign_in_again(api, candidate.identifiant)
    async with (
        subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws,
        subscribed(server, other, DASHBOARD_EVENTS) as other_ws,
        ws_connect(server) as idle,
    ):
        await idle.init(other)
        await api(SESSION_REVOKE_ALL, token=candidate.token)
        for socket in (ws, other_ws, idle):
            closed, waited = await socket.closed_within(2)
            assert closed.code == 4403 and waited < 2


async def test_a_password_change_closes_the_other_sessions_sockets(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    other = await sign_in_again(api, candidate.identifiant)
    async with (
        subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws,
        subscribed(server, other, DASHBOARD_EVENTS) as other_ws,
    ):
        await eventually(lambda: sum(len(g.members) for g in hub_of(server).groups.values()) == 2)
        data = await api(
            PASSWORD_CHANGE,
            {
                "input": {
                    "currentPassword": DEFAULT_PASSWORD,
                    "newPassword": "phrase toute neuve 42",
                }
            },
            token=candidate.token,
        )
        assert data["passwordChange"]["userErrors"] == []
        assert (await other_ws.closed(2)).code == 4403
        # this session's socket stays, and sees the change
        assert kinds([await ws.next_data("1")]) == ["PASSWORD_CHANGED"]


async def test_a_password_reset_closes_every_socket(
    api: GraphQL, server: LiveServer, smtp: MailCatcher
) -> None:
    employer = await sign_up_employer(api)
    async with ws_connect(server) as ws:
        await ws.init(employer.token)
        data = await api(RESET_REQUEST, {"input": {"email": employer.email}})
        assert data["passwordResetRequest"]["accepted"]
        [mail] = await smtp.wait_for(1, to=employer.email)
        token = links(mail)[0].split("token=")[1]
        data = await api(RESET, {"input": {"token": token, "newPassword": "phrase toute neuve 42"}})
        assert data["passwordReset"]["ok"]
        assert (await ws.closed(2)).code == 4403


@pytest.mark.parametrize(
    "settings_overrides", [{"ws_session_recheck_seconds": 0.3}], ids=["fast-recheck"]
)
async def test_the_periodic_recheck_closes_a_session_ended_without_a_message(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    other = await sign_in_again(api, candidate.identifiant)
    async with ws_connect(server) as ws, ws_connect(server) as kept:
        await ws.init(candidate.token)
        await kept.init(other)
        # when the session is revoked in SQL, so no broker message is published
        account = await account_row(server, identifiant=candidate.identifiant)
        async with write_session(server) as session:
            await session.execute(
                update(AuthSession)
                .where(
                    AuthSession.account_id == account.id,
                    AuthSession.id != _session_id(server, other),
                )
                .values(revoked_at=utcnow())
            )
        # then the re-check (every 0.3 s here, 30 s by default) closes its socket, only that one
        closed, waited = await ws.closed_within(3)
        assert closed.code == 4403 and waited < 3
        await kept.send({"type": "ping"})
        assert await kept.receive() == {"type": "pong"}


def _session_id(server: LiveServer, token: str) -> int:
    hub = hub_of(server)
    [conn] = [c for c in hub.connections if c.token == token]
    assert conn.viewer is not None
    return conn.viewer.session_id


@pytest.mark.parametrize(
    "settings_overrides", [{"ws_session_recheck_seconds": 0.3}], ids=["fast-recheck"]
)
async def test_the_periodic_recheck_catches_up_an_event_whose_notification_was_lost(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    account = await account_row(server, identifiant=candidate.identifiant)
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws:
        await eventually(lambda: bool(hub_of(server).groups))
        # when an event is committed but its notification never arrives
        async with write_session(server) as session:
            session.add(Event(account_id=account.id, kind="signed_in", payload={}))
        # then the re-check reads it from the log
        assert kinds([await ws.next_data("1", timeout=15)]) == ["SIGNED_IN"]
        await ws.nothing_for(0.5)


async def test_an_event_committed_late_with_a_smaller_id_is_not_skipped(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    account = await account_row(server, identifiant=candidate.identifiant)
    async with subscribed(server, candidate.token, DASHBOARD_EVENTS) as ws:
        await eventually(lambda: bool(hub_of(server).groups))
        # given a transaction that has appended an event but not committed yet
        async with write_session(server) as session:
            await record_event(session, account.id, EventKind.SIGNED_IN)
            # when another change of the same account is made meanwhile
            other = asyncio.create_task(create_dossier(api, candidate.token))
            await asyncio.sleep(0.5)
        await other
        # then both arrive, in the order of their ids, and nothing is skipped
        events = await ws.collect("1", 2)
        assert kinds(events) == ["SIGNED_IN", "DOSSIER_CREATED"]
        logged = [e.id for e in await event_rows(server, account.id)]
        assert [_id(e["dashboardEvents"]["cursor"]) for e in events] == logged[-2:]


@pytest.mark.parametrize("settings_overrides", [{"debug": False}], ids=["production"])
async def test_a_bug_in_a_live_payload_is_masked_as_over_http(
    api: GraphQL, server: LiveServer
) -> None:
    # given a dashboard topic whose payload objects are broken
    hub = hub_of(server)
    topic = hub.topics["dashboardEvents"]
    assert isinstance(topic, LogTopic)
    hub.topics["dashboardEvents"] = dataclasses.replace(topic, node=broken_event)
    candidate = await sign_up_candidate(api)
    query = "subscription { dashboardEvents { id occurredAt } }"
    async with subscribed(server, candidate.token, query) as ws:
        await eventually(lambda: bool(hub.groups))
        await create_dossier(api, candidate.token)
        # then the client gets the generic error, with its code, and no detail of the bug
        message = await ws.receive()
        assert message["type"] == "next"
        [error] = message["payload"]["errors"]
        assert error["message"] == "Erreur interne du serveur."
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


def broken_event(row: Event) -> DashboardEvent:
    """An event whose time is not a datetime: its serialization fails (a bug)."""
    not_a_datetime: Any = "hier"
    return dataclasses.replace(DashboardEvent.from_model(row), occurred_at=not_a_datetime)
