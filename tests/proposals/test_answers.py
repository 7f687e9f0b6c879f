"""Answering proposals: once, anonymity until accepted, deadlines, and each side sees only its
own."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from models.base import utcnow
from models.proposals import Proposal
from tests.conftest import LiveServer
from tests.proposals.test_proposals import (
    DASHBOARD,
    MY_PROPOSALS,
    NODE,
    SEND,
    SENT,
    answer,
    form,
    published,
    send,
    sent,
)
from tests.support.accounts import sign_up_candidate, write_session
from tests.support.applications import (
    employer_with_offer,
    error_codes,
    local_id,
)
from tests.support.client import GraphQL


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
