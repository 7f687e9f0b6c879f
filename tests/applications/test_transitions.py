"""Application transitions from every status, withdrawal, and live events to the two parties
only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.applications.test_applications import DASHBOARD, EMPLOYER_MOVES, PATHS, RECEIVED
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.applications import (
    DASHBOARD_EVENTS,
    applicant,
    apply,
    employer_with_offer,
    error_codes,
    move,
    until_listening,
    withdraw,
)
from tests.support.client import GraphQL
from tests.support.ws import subscribed


async def reach(api: GraphQL, token: str, application_id: str, status: str) -> None:
    for step in PATHS[status]:
        assert (await move(api, token, application_id, step))["userErrors"] == []


@pytest.mark.parametrize("start", ["SENT", "VIEWED", "IN_PROGRESS", "ACCEPTED", "REFUSED"])
async def test_every_transition_from_each_status(
    server: LiveServer, api: GraphQL, start: str
) -> None:
    # given an application in status `start`
    who = await applicant(server, api)
    employer, offer = await employer_with_offer(api)
    application = await apply(api, who, offer["id"])
    await reach(api, employer.token, application["id"], start)
    # then every move the employer may not make is INVALID_TRANSITION
    for target in ["SENT", "VIEWED", "IN_PROGRESS", "ACCEPTED", "REFUSED", "WITHDRAWN"]:
        if target in EMPLOYER_MOVES[start]:
            continue
        payload = await move(api, employer.token, application["id"], target)
        assert error_codes(payload) == {"status": "INVALID_TRANSITION"}, (start, target)
    # and the candidat may withdraw until a decision is made
    payload = await withdraw(api, who.candidate.token, application["id"])
    if start in ("ACCEPTED", "REFUSED"):
        assert error_codes(payload) == {"status": "INVALID_TRANSITION"}
        return
    assert payload["application"]["status"] == "WITHDRAWN"
    # after which nothing moves any more
    for target in EMPLOYER_MOVES:
        payload = await move(api, employer.token, application["id"], target)
        assert error_codes(payload) == {"status": "INVALID_TRANSITION"}
    again = await withdraw(api, who.candidate.token, application["id"])
    assert error_codes(again) == {"status": "INVALID_TRANSITION"}


async def test_withdrawing_notifies_the_employer_and_hides_the_applicant(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api)
    employer, offer = await employer_with_offer(api)
    application = await apply(api, who, offer["id"])
    await move(api, employer.token, application["id"], "VIEWED")
    payload = await withdraw(api, who.candidate.token, application["id"])
    history = payload["application"]["history"]
    assert [(h["status"], h["by"]) for h in history][-1] == ("WITHDRAWN", "CANDIDAT")
    board = (await api(DASHBOARD, token=employer.token))["viewer"]["dashboard"]
    latest: dict[str, Any] = board["events"]["edges"][0]["node"]
    assert latest["kind"] == "APPLICATION_WITHDRAWN"
    assert latest["message"] == "Candidature à l'offre « Boulanger » retirée par le candidat."
    assert "Goff" not in str(latest["payload"])
    data = await api(RECEIVED, token=employer.token)
    [node] = [e["node"] for e in data["viewer"]["receivedApplications"]["edges"]]
    assert node["status"] == "WITHDRAWN" and node["applicant"] is None


async def test_live_events_reach_only_the_candidat_and_the_offers_employer(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api)
    bystander = await sign_up_candidate(api)
    employer, offer = await employer_with_offer(api)
    other_employer, _ = await employer_with_offer(api, company_name="Crêperie de Paimpol")
    async with (
        subscribed(server, bystander.token, DASHBOARD_EVENTS) as bystander_ws,
        subscribed(server, other_employer.token, DASHBOARD_EVENTS) as other_employer_ws,
        subscribed(server, employer.token, DASHBOARD_EVENTS) as employer_ws,
        subscribed(server, who.candidate.token, DASHBOARD_EVENTS) as ws,
    ):
        for socket in (bystander_ws, other_employer_ws, employer_ws, ws):
            await until_listening(socket)
        application = await apply(api, who, offer["id"])
        await move(api, employer.token, application["id"], "VIEWED")
        expected = ["APPLICATION_SUBMITTED", "APPLICATION_STATUS_CHANGED"]
        for socket in (ws, employer_ws):
            received = await socket.collect("1", 2)
            assert [r["dashboardEvents"]["kind"] for r in received] == expected
            assert received[0]["dashboardEvents"]["subjectId"] == application["id"]
        await bystander_ws.nothing_for(0.3)
        await other_employer_ws.nothing_for(0.3)
