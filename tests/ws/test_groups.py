"""Fan-out groups over the socket: one execution shared by a user's sockets, never across users;
sign-out and password changes close sockets."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest
from sqlalchemy import update

from espace.ws.topics import LogTopic
from models.base import utcnow
from models.dashboard import Event, EventKind
from models.identity import AuthSession
from resolvers.dashboard.events import record_event
from schema.dashboard.events import DashboardEvent
from tests.conftest import LiveServer
from tests.support.accounts import (
    DEFAULT_PASSWORD,
    account_row,
    event_rows,
    sign_up_candidate,
    sign_up_employer,
    write_session,
)
from tests.support.client import GraphQL, MailCatcher, links
from tests.support.dossiers import create_dossier
from tests.support.ws import eventually, subscribed, ws_connect
from tests.ws.test_fanout import (
    DASHBOARD_EVENTS,
    PASSWORD_CHANGE,
    RESET,
    RESET_REQUEST,
    SESSION_REVOKE,
    SESSION_REVOKE_ALL,
    _id,
    hub_of,
    kinds,
    sign_in_again,
)


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
