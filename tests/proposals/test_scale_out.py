"""Proposals across processes: an employer on process A, the candidat's socket on process B,
over PostgreSQL and Redis. Run with ESPACE_TEST_REDIS=1 and ESPACE_TEST_POSTGRES=1."""

from __future__ import annotations

import pytest

from tests.server.test_scale_out import Cluster, cluster, shared_database  # noqa: F401 (fixtures)
from tests.support.accounts import sign_up_candidate
from tests.support.applications import applicant, employer_with_offer, until_listening
from tests.support.ws import subscribed

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

PROPOSAL_SEND = """
mutation ($input: ProposalSendInput!) {
  proposalSend(input: $input) { proposal { id } userErrors { field code } }
}
"""
PROPOSAL_RECEIVED = "subscription { proposalReceived { id title message } }"


async def test_a_proposal_sent_on_a_reaches_only_the_addressee_on_b(
    cluster: Cluster,  # noqa: F811
) -> None:
    a, api_a = await cluster.server()
    b, _ = await cluster.server()
    who = await applicant(a, api_a, "PUBLISHED")
    bystander = await sign_up_candidate(api_a)
    employer, offer = await employer_with_offer(api_a)
    async with (
        subscribed(b, who.candidate.token, PROPOSAL_RECEIVED) as ws,
        subscribed(b, bystander.token, PROPOSAL_RECEIVED) as other_ws,
    ):
        await until_listening(ws)
        await until_listening(other_ws)
        # when the employer sends a proposal through process A
        data = await api_a(
            PROPOSAL_SEND,
            {"input": {"cvId": who.cv_id, "offerId": offer["id"], "message": "Bonjour !"}},
            token=employer.token,
        )
        payload = data["proposalSend"]
        assert payload["userErrors"] == []
        # then the addressee's socket on process B receives it, and no other socket does
        live = (await ws.next_data("1"))["proposalReceived"]
        assert live == {
            "id": payload["proposal"]["id"],
            "title": "Boulanger",
            "message": "Bonjour !",
        }
        await other_ws.nothing_for(0.5)
