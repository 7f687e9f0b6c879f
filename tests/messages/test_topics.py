"""Questions to the adviser carry a topic (INDEMNISATION, ACTUALISATION, DOCUMENTS…)."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer
from tests.support.agencies import adviser_at
from tests.support.client import GraphQL, MailCatcher
from tests.support.indemnisation import candidat_at, codes, mutate, two_agencies

START = """
mutation ($input: ConversationStartInput!) {
  conversationStart(input: $input) {
    conversation { id kind title topic }
    userErrors { field code message }
  }
}
"""
INBOX = "{ viewer { conversations(first: 10) { edges { node { id title topic } } } } }"


async def test_a_question_about_the_allowance_reaches_the_agency_with_its_topic(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat of Guingamp and advisers in Guingamp and Brest
    agencies = await two_agencies(server, api)
    guingamp = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    # When the candidat asks about their allowance, without a subject line
    started = await mutate(
        api,
        START,
        candidat.token,
        kind="ADVISER",
        topic="INDEMNISATION",
        body="Mon paiement de février est-il calculé ?",
    )
    # Then the topic gives the subject line, and the agency sees it
    assert started["userErrors"] == []
    conversation = started["conversation"]
    assert conversation["title"] == "Question sur mon indemnisation"
    assert conversation["topic"] == "INDEMNISATION"
    listed = (await api(INBOX, token=guingamp))["viewer"]["conversations"]["edges"]
    assert [e["node"] for e in listed] == [{k: conversation[k] for k in ("id", "title", "topic")}]
    assert (await api(INBOX, token=brest))["viewer"]["conversations"]["edges"] == []
    # And a given subject line wins; no topic is null
    titled = await mutate(
        api,
        START,
        candidat.token,
        kind="ADVISER",
        topic="DOCUMENTS",
        title="Bulletin",
        body="Ci-joint",
    )
    assert titled["conversation"]["title"] == "Bulletin"
    plain = await mutate(api, START, candidat.token, kind="ADVISER", body="Bonjour")
    assert plain["conversation"]["topic"] is None
    # And only questions to the agency have a topic
    refused = await mutate(
        api, START, candidat.token, kind="EMPLOYER", topic="INDEMNISATION", body="Bonjour"
    )
    assert codes(refused) == {"topic": "INVALID"}
