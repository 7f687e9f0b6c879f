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


async def test_the_candidat_answers_once_and_the_employer_sees_the_answer(
    server: LiveServer, api: GraphQL
) -> None:
    who = await published(server, api)
    employer, _ = await employer_with_offer(api)
    proposal = await sent(api, employer, who.cv_id)
    payload = await answer(api, who.candidate.token, proposal["id"], accept=False)
    assert payload["proposal"]["status"] == "DECLINED"
    # once only
    again = await answer(api, who.candidate.token, proposal["id"], accept=True)
    assert error_codes(again) == {"id": "INVALID_TRANSITION"}
    # the employer sees the answer, and a notice on its dashboard
    [node] = [
        e["node"]
        for e in (await api(SENT, token=employer.token))["viewer"]["sentProposals"]["edges"]
    ]
    assert node["status"] == "DECLINED" and node["answerMessage"] == "Avec plaisir."
    assert node["answeredAt"] is not None and node["candidate"] is None
    board = (await api(DASHBOARD, token=employer.token))["viewer"]["dashboard"]
    event = board["events"]["edges"][0]["node"]
    assert event["kind"] == "PROPOSAL_ANSWERED"
    assert (
        event["message"]
        == "Votre proposition « Boulanger de nuit, CDI, Guingamp. » a été déclinée."
    )
    assert (await api(DASHBOARD, token=who.candidate.token))["viewer"]["dashboard"][
        "pendingProposals"
    ] == 0


async def test_an_anonymous_cv_stays_anonymous_until_the_candidat_accepts(
    server: LiveServer, api: GraphQL
) -> None:
    who = await published(server, api, "ANONYMOUS")
    employer, _ = await employer_with_offer(api)
    proposal = await sent(api, employer, who.cv_id)
    # before the answer, nothing names the candidat: the payload, the list, the node, events
    assert proposal["candidate"] is None
    assert proposal["cv"] == {
        "id": who.cv_id,
        "title": "Boulangère expérimentée",
        "candidate": None,
    }
    listed = await api(SENT, token=employer.token)
    assert "Goff" not in str(listed)
    assert (await api(NODE, {"id": proposal["id"]}, token=employer.token))["node"][
        "candidate"
    ] is None
    assert "Goff" not in str(await api(DASHBOARD, token=employer.token))
    # once accepted, the employer sees the name and contact
    payload = await answer(api, who.candidate.token, proposal["id"], accept=True)
    assert payload["proposal"]["status"] == "ACCEPTED"
    node = (await api(NODE, {"id": proposal["id"]}, token=employer.token))["node"]
    assert node["candidate"] == {
        "nom": "Le Goff",
        "prenom": "Annaïg",
        "email": "annaig.legoff@example.org",
        "phoneMobile": {"e164": "+33612345678"},
    }


async def test_no_answer_after_the_deadline(server: LiveServer, api: GraphQL) -> None:
    who = await published(server, api)
    employer, _ = await employer_with_offer(api)
    soon = (utcnow() + timedelta(days=2)).isoformat()
    proposal = await sent(api, employer, who.cv_id, deadline=soon)
    assert proposal["deadline"] is not None
    async with write_session(server) as session:
        await session.execute(
            update(Proposal)
            .where(Proposal.id == local_id(proposal["id"]))
            .values(deadline=utcnow() - timedelta(minutes=1))
        )
    payload = await answer(api, who.candidate.token, proposal["id"], accept=True)
    assert error_codes(payload) == {"id": "DEADLINE_PASSED"}
    data = await api(MY_PROPOSALS, token=who.candidate.token)
    [node] = [e["node"] for e in data["viewer"]["proposals"]["edges"]]
    assert node["status"] == "EXPIRED"
    pending = await api(MY_PROPOSALS, {"pendingOnly": True}, token=who.candidate.token)
    assert pending["viewer"]["proposals"]["edges"] == []
    board = (await api(DASHBOARD, token=who.candidate.token))["viewer"]["dashboard"]
    assert board["pendingProposals"] == 0


async def test_each_side_sees_only_its_own_proposals(server: LiveServer, api: GraphQL) -> None:
    who = await published(server, api)
    employer, _ = await employer_with_offer(api)
    other_employer, _ = await employer_with_offer(api, company_name="Crêperie de Paimpol")
    stranger = await sign_up_candidate(api)
    proposal = await sent(api, employer, who.cv_id)
    # the addressee and the sender see it
    mine = await api(MY_PROPOSALS, token=who.candidate.token)
    assert [e["node"]["id"] for e in mine["viewer"]["proposals"]["edges"]] == [proposal["id"]]
    assert (await api(NODE, {"id": proposal["id"]}, token=employer.token))["node"] is not None
    # no one else: not by node, not in their lists
    for token in (other_employer.token, stranger.token):
        assert (await api(NODE, {"id": proposal["id"]}, token=token))["node"] is None
    assert (await api(SENT, token=other_employer.token))["viewer"]["sentProposals"] == {"edges": []}
    theirs = await api(MY_PROPOSALS, token=stranger.token)
    assert theirs["viewer"]["proposals"]["edges"] == []
    # nor answer it; and only candidats answer, only employers send
    payload = await answer(api, stranger.token, proposal["id"], accept=True)
    assert error_codes(payload) == {"id": "NOT_FOUND"}
    payload = await answer(api, employer.token, proposal["id"], accept=True)
    assert error_codes(payload) == {None: "WRONG_ACCOUNT_KIND"}
    payload = await send(api, employer, who.cv_id)  # still fine for the employer
    assert payload["userErrors"] == []
    wrong = await api(SEND, {"input": form(who.cv_id)}, token=stranger.token)
    assert error_codes(wrong["proposalSend"]) == {None: "WRONG_ACCOUNT_KIND"}


async def test_a_deadline_sent_with_an_offset_comes_back_in_utc(
    server: LiveServer, api: GraphQL
) -> None:
    # given an employer and a published CV
    who = await published(server, api)
    employer, _ = await employer_with_offer(api)
    # when the employer sends a deadline in Paris summer time
    proposal = await sent(api, employer, who.cv_id, deadline="2030-06-30T18:00:00+02:00")
    # then the mutation answers the same instant in UTC, as every later read does
    assert proposal["deadline"] == "2030-06-30T16:00:00+00:00"
    assert proposal["sentAt"].endswith("+00:00")
    node = (await api(NODE, {"id": proposal["id"]}, token=employer.token))["node"]
    assert node["deadline"] == "2030-06-30T16:00:00+00:00"
