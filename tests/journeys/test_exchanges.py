"""Issue 5's "done when", through the API with two server processes over Redis: an employer
finds a published anonymous CV and sends a proposal; the candidat's dashboard client, on the
other process, receives it live; the candidat replies through messages and the employer's
subscription receives the reply. Run with ESPACE_TEST_POSTGRES=1 and ESPACE_TEST_REDIS=1."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.server.test_scale_out import (  # noqa: F401 (fixtures)
    Cluster,
    LiveServerAddress,
    _espace_serve,
    _wait_healthy,
    cluster,
    shared_database,
)
from tests.support.accounts import sign_up_employer
from tests.support.applications import applicant, until_listening
from tests.support.client import GraphQL
from tests.support.ws import subscribed

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

CV_SEARCH = """
query {
  cvSearch(criteria: {romeCodes: ["D1102"], communeInsee: "22070", radiusKm: 30}, first: 10) {
    edges { distanceKm node { id title visibility candidate { nom } file { url }
                              place { communeName } } }
    userErrors { code }
  }
}
"""
PROPOSAL_SEND = """
mutation ($input: ProposalSendInput!) {
  proposalSend(input: $input) { proposal { id } userErrors { field code } }
}
"""
DASHBOARD_EVENTS = "subscription { dashboardEvents { kind message } }"
PROPOSAL_RECEIVED = "subscription { proposalReceived { id title message } }"
MESSAGE_RECEIVED = """
subscription { messageReceived { body authorKind conversation { id title } } }
"""
REPLY = """
mutation ($input: ConversationStartInput!) {
  conversationStart(input: $input) { conversation { id } userErrors { field code } }
}
"""
UNREAD = "{ viewer { dashboard { pendingProposals unreadMessages } } }"


async def test_a_proposal_to_an_anonymous_cv_and_the_reply_cross_processes(
    cluster: Cluster,  # noqa: F811
    tmp_path: Path,
) -> None:
    # Given process A (in this test) and process B (`espace serve`), one PostgreSQL, one Redis
    a, api_a = await cluster.server()
    port = free_port()
    log = tmp_path / "serve.log"
    serve = await _espace_serve(cluster, port, log)
    try:
        await _wait_healthy(port, serve, log)
        b = LiveServerAddress(f"http://127.0.0.1:{port}")
        async with httpx.AsyncClient(base_url=b.url, timeout=30) as http_b:
            api_b = GraphQL(http_b)
            # a candidat who published an anonymous CV (through B), and an employer (on A)
            who = await applicant(a, api_b, "ANONYMOUS", nom="Kerhervé", prenom="Maïwenn")
            employer = await sign_up_employer(api_a, company_name="Fournil de Pontrieux")

            # When the employer finds the CV: anonymous, nothing tells who it is
            found = await api_a(CV_SEARCH, token=employer.token)
            [edge] = found["cvSearch"]["edges"]
            assert edge["node"]["id"] == who.cv_id
            assert edge["node"]["visibility"] == "ANONYMOUS"
            assert edge["node"]["candidate"] is None and edge["node"]["file"] is None
            text = json.dumps(found, ensure_ascii=False)
            assert "Kerhervé" not in text and "Maïwenn" not in text

            # and sends a proposal, while the candidat's dashboard client is connected to B
            async with subscribed(b, who.candidate.token, DASHBOARD_EVENTS) as board:
                await board.subscribe("2", PROPOSAL_RECEIVED)
                await until_listening(board)
                sent = await api_a(
                    PROPOSAL_SEND,
                    {
                        "input": {
                            "cvId": who.cv_id,
                            "text": "Poste de boulanger(ère) en CDI à Pontrieux.",
                            "message": "Votre profil nous intéresse.",
                        }
                    },
                    token=employer.token,
                )
                assert sent["proposalSend"]["userErrors"] == []
                proposal_id = sent["proposalSend"]["proposal"]["id"]
                # Then the client on B receives it live: the proposal and the dashboard event
                messages = [await board.receive() for _ in range(2)]
            by_op = {m["id"]: m["payload"]["data"] for m in messages}
            assert by_op["2"]["proposalReceived"]["id"] == proposal_id
            assert by_op["2"]["proposalReceived"]["message"] == "Votre profil nous intéresse."
            assert by_op["1"]["dashboardEvents"]["kind"] == "PROPOSAL_RECEIVED"
            counts = (await api_b(UNREAD, token=who.candidate.token))["viewer"]["dashboard"]
            assert counts["pendingProposals"] == 1

            # When the candidat replies through messages (on B), the employer's subscription
            # (on A) receives the reply
            async with subscribed(a, employer.token, MESSAGE_RECEIVED) as inbox:
                await until_listening(inbox)
                replied = await api_b(
                    REPLY,
                    {
                        "input": {
                            "kind": "EMPLOYER",
                            "subjectId": proposal_id,
                            "body": "Bonjour, je suis disponible pour en parler.",
                        }
                    },
                    token=who.candidate.token,
                )
                assert replied["conversationStart"]["userErrors"] == []
                got = (await inbox.next_data("1"))["messageReceived"]
            assert got["body"] == "Bonjour, je suis disponible pour en parler."
            assert got["authorKind"] == "CANDIDAT"
            assert got["conversation"]["id"] == replied["conversationStart"]["conversation"]["id"]
            counts = (await api_a(UNREAD, token=employer.token))["viewer"]["dashboard"]
            assert counts["unreadMessages"] == 1
    finally:
        serve.terminate()
        try:
            await asyncio.wait_for(serve.wait(), 15)
        except TimeoutError:
            serve.kill()
            await serve.wait()
