"""Employer proposals: sent to published CVs only, rate-limited, answered once before the
deadline, anonymous until accepted, and delivered live to the addressee alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from models.base import utcnow
from models.proposals import Proposal
from tests.conftest import LiveServer
from tests.support.accounts import Employer, sign_up_candidate, write_session
from tests.support.applications import (
    Applicant,
    applicant,
    employer_with_offer,
    error_codes,
    local_id,
    until_listening,
)
from tests.support.client import GraphQL
from tests.support.offers import create_offer
from tests.support.ws import subscribed

PROPOSAL_FIELDS = """
  id status title text message deadline sentAt answeredAt answerMessage cursor
  cv { id title candidate { nom } }
  offer { number } company { name }
  candidate { nom prenom email phoneMobile { e164 } }
"""
SEND = f"""
mutation ($input: ProposalSendInput!) {{
  proposalSend(input: $input) {{ proposal {{ {PROPOSAL_FIELDS} }} userErrors {{ field code }} }}
}}
"""
ANSWER = f"""
mutation ($input: ProposalAnswerInput!) {{
  proposalAnswer(input: $input) {{ proposal {{ {PROPOSAL_FIELDS} }} userErrors {{ field code }} }}
}}
"""
RECEIVED_LIVE = """
subscription ($after: String) {
  proposalReceived(after: $after) { id title message cursor company { name } dossier { name } }
}
"""
MY_PROPOSALS = f"""
query ($pendingOnly: Boolean! = false) {{
  viewer {{ proposals(first: 10, pendingOnly: $pendingOnly) {{
    edges {{ node {{ {PROPOSAL_FIELDS} dossier {{ name }} }} }}
  }} }}
}}
"""
SENT = f"{{ viewer {{ sentProposals(first: 10) {{ edges {{ node {{ {PROPOSAL_FIELDS} }} }} }} }} }}"
NODE = f"query ($id: ID!) {{ node(id: $id) {{ ... on Proposal {{ {PROPOSAL_FIELDS} }} }} }}"
DASHBOARD = """
{ viewer { dashboard {
  pendingProposals
  newSinceLastVisit { proposals }
  events(first: 5) { edges { node { kind message subjectId payload } } }
} } }
"""


def form(cv_id: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "cvId": cv_id,
        "text": "Boulanger de nuit, CDI, Guingamp.",
        "message": "Votre profil nous intéresse : seriez-vous disponible en juin ?",
    }
    values.update(overrides)
    return values


async def send(api: GraphQL, employer: Employer, cv_id: str, **overrides: Any) -> dict[str, Any]:
    data = await api(SEND, {"input": form(cv_id, **overrides)}, token=employer.token)
    payload: dict[str, Any] = data["proposalSend"]
    return payload


async def sent(api: GraphQL, employer: Employer, cv_id: str, **overrides: Any) -> dict[str, Any]:
    payload = await send(api, employer, cv_id, **overrides)
    assert payload["userErrors"] == [], payload
    proposal: dict[str, Any] = payload["proposal"]
    return proposal


async def answer(api: GraphQL, token: str, proposal_id: str, accept: bool) -> dict[str, Any]:
    variables = {"input": {"id": proposal_id, "accept": accept, "message": "Avec plaisir."}}
    payload: dict[str, Any] = (await api(ANSWER, variables, token=token))["proposalAnswer"]
    return payload


async def published(server: LiveServer, api: GraphQL, visibility: str = "PUBLISHED") -> Applicant:
    return await applicant(server, api, visibility, email="annaig.legoff@example.org")


async def test_a_proposal_reaches_the_candidat_live_and_on_the_dashboard(
    server: LiveServer, api: GraphQL
) -> None:
    # given a candidat with a published CV, listening; another candidat listening too
    who = await published(server, api)
    bystander = await sign_up_candidate(api)
    employer, offer = await employer_with_offer(api)
    async with (
        subscribed(server, who.candidate.token, RECEIVED_LIVE) as ws,
        subscribed(server, bystander.token, RECEIVED_LIVE) as other_ws,
        subscribed(server, employer.token, RECEIVED_LIVE) as employer_ws,
    ):
        for socket in (ws, other_ws, employer_ws):
            await until_listening(socket)
        # when the employer proposes its offer
        proposal = await sent(api, employer, who.cv_id, offerId=offer["id"], text=None)
        assert proposal["status"] == "PENDING" and proposal["offer"]["number"] == offer["number"]
        # then the candidat receives it live, and no one else does
        live = (await ws.next_data("1"))["proposalReceived"]
        assert live["id"] == proposal["id"]
        assert live["title"] == "Boulanger"
        assert live["company"] == {"name": "Boulangerie du Trieux"}
        assert live["dossier"] == {"name": "DRE1"}
        await other_ws.nothing_for(0.5)
        await employer_ws.nothing_for(0.1)
    # and the dashboard shows it as an event and a count
    board = (await api(DASHBOARD, token=who.candidate.token))["viewer"]["dashboard"]
    assert board["pendingProposals"] == 1
    assert board["newSinceLastVisit"]["proposals"] == 1
    event = board["events"]["edges"][0]["node"]
    assert event["kind"] == "PROPOSAL_RECEIVED"
    assert event["subjectId"] == proposal["id"]
    assert event["message"] == "Nouvelle proposition de Boulangerie du Trieux."


async def test_proposal_received_replays_after_a_cursor(server: LiveServer, api: GraphQL) -> None:
    who = await published(server, api)
    employer, _ = await employer_with_offer(api)
    first = await sent(api, employer, who.cv_id, text="Premier poste")
    second = await sent(api, employer, who.cv_id, text="Second poste")
    async with subscribed(
        server, who.candidate.token, RECEIVED_LIVE, {"after": first["cursor"]}
    ) as ws:
        replayed = (await ws.next_data("1"))["proposalReceived"]
        assert replayed["id"] == second["id"] and replayed["title"] == "Second poste"
        await ws.nothing_for(0.3)


async def test_only_published_cvs_receive_proposals(server: LiveServer, api: GraphQL) -> None:
    employer, _ = await employer_with_offer(api)
    private = await applicant(server, api, "PRIVATE")
    anonymous = await applicant(server, api, "ANONYMOUS")
    # a private CV is "not found", like one that does not exist
    assert error_codes(await send(api, employer, private.cv_id)) == {"cvId": "NOT_FOUND"}
    assert error_codes(await send(api, employer, "Q3Y6OTk5OTk5")) == {"cvId": "NOT_FOUND"}
    assert (await send(api, employer, anonymous.cv_id))["userErrors"] == []
    # nothing reached the private CV's owner
    board = (await api(DASHBOARD, token=private.candidate.token))["viewer"]["dashboard"]
    assert board["pendingProposals"] == 0


async def test_the_proposal_needs_an_own_published_offer_or_a_text(
    server: LiveServer, api: GraphQL
) -> None:
    who = await published(server, api)
    employer, _ = await employer_with_offer(api)
    _, foreign = await employer_with_offer(api, company_name="Crêperie de Paimpol")
    draft = await create_offer(api, employer.token)
    payload = await send(api, employer, who.cv_id, text=None)
    assert error_codes(payload) == {"text": "REQUIRED"}
    payload = await send(api, employer, who.cv_id, offerId=foreign["id"], text=None)
    assert error_codes(payload) == {"offerId": "NOT_FOUND"}
    payload = await send(api, employer, who.cv_id, offerId=draft["id"], text=None)
    assert error_codes(payload) == {"offerId": "OFFER_CLOSED"}
    payload = await send(api, employer, who.cv_id, message=" ", deadline="2001-01-01T00:00:00Z")
    assert error_codes(payload) == {"message": "REQUIRED", "deadline": "INVALID_DATE"}


@pytest.mark.parametrize("settings_overrides", [{"proposals_per_day": 2}], ids=["2-per-day"])
async def test_employers_are_rate_limited_per_day(server: LiveServer, api: GraphQL) -> None:
    who = await published(server, api)
    employer, _ = await employer_with_offer(api)
    other, _ = await employer_with_offer(api, company_name="Crêperie de Paimpol")
    await sent(api, employer, who.cv_id)
    await sent(api, employer, who.cv_id)
    assert error_codes(await send(api, employer, who.cv_id)) == {None: "THROTTLED"}
    # the limit is per employer
    await sent(api, other, who.cv_id)
    # and over the last 24 hours
    async with write_session(server) as session:
        await session.execute(
            update(Proposal)
            .where(Proposal.employer_id == local_id(employer.viewer_id))
            .values(created_at=utcnow() - timedelta(hours=25))
        )
    await sent(api, employer, who.cv_id)
