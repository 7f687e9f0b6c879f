"""Relay connections: forward (first/after) and backward (last/before) paging with cursors,
and totalCount, one COUNT per list and one grouped COUNT for a list under a list."""

from __future__ import annotations

from typing import Any

import pytest

from espace.cli.demo import seed
from tests.conftest import LiveServer
from tests.dashboard.test_sql import CACHED_CHECKS, counted, seen
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.cvs import create_cv
from tests.support.dossiers import create_agency, create_dossier, sign_up_adviser

PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
DOSSIERS = f"""
query ($first: Int, $after: String, $last: Int, $before: String) {{
  viewer {{ dossiers(first: $first, after: $after, last: $last, before: $before) {{
    edges {{ cursor node {{ name }} }} {PAGE}
  }} }}
}}
"""
ANNOUNCEMENTS = f"""
query ($first: Int, $after: String, $last: Int, $before: String) {{
  announcements(first: $first, after: $after, last: $last, before: $before) {{
    edges {{ cursor node {{ title }} }} {PAGE}
  }}
}}
"""
PUBLISH = """
mutation ($input: AnnouncementPublishInput!) {
  announcementPublish(input: $input) { userErrors { code } }
}
"""
NESTED = """
query ($first: Int, $last: Int) {
  viewer { dossiers(first: 10) { totalCount edges { node {
    name
    cvs(first: $first, last: $last) {
      totalCount edges { node { title } } pageInfo { hasNextPage hasPreviousPage }
    }
    alerts(first: 5) { totalCount }
    savedSearches(first: 5) { totalCount }
  } } } }
}
"""


def names(connection: dict[str, Any], field: str = "name") -> list[str]:
    return [edge["node"][field] for edge in connection["edges"]]


def flags(connection: dict[str, Any]) -> tuple[bool, bool]:
    info = connection["pageInfo"]
    return info["hasPreviousPage"], info["hasNextPage"]


async def test_an_oldest_first_list_pages_both_ways(api: GraphQL) -> None:
    # Given five dossiers
    candidate = await sign_up_candidate(api)
    for n in range(1, 6):
        await create_dossier(api, candidate.token, name=f"DRE{n}")

    async def page(**variables: Any) -> dict[str, Any]:
        data = await api(DOSSIERS, variables, token=candidate.token)
        connection: dict[str, Any] = data["viewer"]["dossiers"]
        return connection

    # When a client pages forward with first/after
    first = await page(first=2)
    second = await page(first=2, after=first["pageInfo"]["endCursor"])
    # Then it reads them in order, and the total whatever the page
    assert (names(first), flags(first)) == (["DRE1", "DRE2"], (False, True))
    assert (names(second), flags(second)) == (["DRE3", "DRE4"], (True, True))
    assert first["totalCount"] == second["totalCount"] == 5

    # When it pages backward with last/before
    end = await page(last=2)
    before_end = await page(last=2, before=end["pageInfo"]["startCursor"])
    start = await page(last=2, before=before_end["pageInfo"]["startCursor"])
    # Then each page is still in list order, ending just before the cursor
    assert (names(end), flags(end)) == (["DRE4", "DRE5"], (True, False))
    assert (names(before_end), flags(before_end)) == (["DRE2", "DRE3"], (True, True))
    assert (names(start), flags(start)) == (["DRE1"], (False, True))
    assert end["totalCount"] == 5
    # and a cursor from either direction is the same cursor
    assert before_end["edges"][0]["cursor"] == first["edges"][1]["cursor"]


async def test_a_newest_first_list_pages_both_ways(server: LiveServer, api: GraphQL) -> None:
    # Given four announcements, published A1 to A4 (listed newest first)
    adviser = await sign_up_adviser(server, api)
    for n in range(1, 5):
        item = {"kind": "ACTUALITE", "title": f"A{n}", "body": "Texte."}
        published = await api(PUBLISH, {"input": item}, token=adviser)
        assert published["announcementPublish"]["userErrors"] == []

    # When a client reads the first two, then the last two, then one before those
    first = (await api(ANNOUNCEMENTS, {"first": 2}))["announcements"]
    last = (await api(ANNOUNCEMENTS, {"last": 2}))["announcements"]
    cursor = last["pageInfo"]["startCursor"]
    before = (await api(ANNOUNCEMENTS, {"last": 1, "before": cursor}))["announcements"]
    after = (await api(ANNOUNCEMENTS, {"first": 5, "after": cursor}))["announcements"]

    # Then the pages follow the list's order, newest first
    assert (names(first, "title"), flags(first)) == (["A4", "A3"], (False, True))
    assert (names(last, "title"), flags(last)) == (["A2", "A1"], (True, False))
    assert (names(before, "title"), flags(before)) == (["A3"], (True, True))
    assert names(after, "title") == ["A1"]
    assert first["totalCount"] == last["totalCount"] == 4


async def test_bad_page_arguments_are_refused_with_codes(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    cases = [
        ({"first": 1, "last": 1}, "BAD_PAGE_SIZE"),
        ({"last": -1}, "BAD_PAGE_SIZE"),
        ({"last": 101}, "BAD_PAGE_SIZE"),
        ({"last": 1, "before": "pas-un-curseur"}, "BAD_CURSOR"),
    ]
    for variables, code in cases:
        body = await api.raw(DOSSIERS, variables, token=candidate.token)
        assert [e["extensions"]["code"] for e in body["errors"]] == [code], variables


@pytest.mark.parametrize(
    "settings_overrides",
    [{"compiled_reads": True, **CACHED_CHECKS}, {"compiled_reads": False, **CACHED_CHECKS}],
    ids=["compiled", "interpreted"],
)
async def test_nested_lists_count_and_page_backward_in_one_statement_each(
    server: LiveServer, api: GraphQL, settings_overrides: dict[str, Any]
) -> None:
    # Given a candidat with one dossier and one CV, and one with three dossiers of 1 to 3 CVs
    small = await sign_up_candidate(api)
    dossier = await create_dossier(api, small.token)
    await create_cv(api, small.token, dossier["id"], title="CV 1.1")
    busy = await sign_up_candidate(api)
    for n in range(1, 4):
        dossier = await create_dossier(api, busy.token, name=f"DRE{n}")
        for i in range(1, n + 1):
            await create_cv(api, busy.token, dossier["id"], title=f"CV {n}.{i}")

    # When each asks for its dossiers with each list's totalCount, forward then backward
    await seen(api, small.token, busy.token)  # their session checks cached: not counted
    with counted(server) as few:
        await api(NESTED, {"first": 1}, token=small.token)
    with counted(server) as many:
        forward = (await api(NESTED, {"first": 1}, token=busy.token))["viewer"]["dossiers"]
    await seen(api, small.token, busy.token)
    with counted(server) as few_backward:
        await api(NESTED, {"last": 1}, token=small.token)
    with counted(server) as many_backward:
        backward = (await api(NESTED, {"last": 1}, token=busy.token))["viewer"]["dossiers"]

    # Then the counts and pages are right for each dossier
    cvs = [edge["node"]["cvs"] for edge in forward["edges"]]
    assert forward["totalCount"] == 3
    assert [c["totalCount"] for c in cvs] == [1, 2, 3]
    assert [names(c, "title") for c in cvs] == [["CV 1.1"], ["CV 2.1"], ["CV 3.1"]]
    assert [flags(c) for c in cvs] == [(False, False), (False, True), (False, True)]
    last_cvs = [edge["node"]["cvs"] for edge in backward["edges"]]
    assert [names(c, "title") for c in last_cvs] == [["CV 1.1"], ["CV 2.2"], ["CV 3.3"]]
    assert [flags(c) for c in last_cvs] == [(False, False), (True, False), (True, False)]
    nodes = [edge["node"] for edge in forward["edges"]]
    assert [(n["alerts"]["totalCount"], n["savedSearches"]["totalCount"]) for n in nodes] == [
        (0, 0)
    ] * 3
    # and they cost the same statements for one dossier as for three: one grouped COUNT per
    # nested list, never one per dossier
    assert len(few) == len(many), (few, many)
    assert len(few_backward) == len(many_backward), (few_backward, many_backward)
    if settings_overrides["compiled_reads"]:
        # compiled (forward pages), the session check cached: one statement for the answer
        assert len(many) == 1 and "json" in many[0].lower(), many
    else:
        grouped = [s for s in many if "count(" in s.lower() and "GROUP BY" in s]
        assert len(grouped) == 3, many


JOB_TITLES = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  jobTitles(search: "boulanger", first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { libelle } } totalCount pageInfo { hasNextPage hasPreviousPage }
  }
}
"""


async def test_a_ranked_reference_list_pages_both_ways(api: GraphQL) -> None:
    # Given every job title matching "boulanger", in their ranking
    everything = (await api(JOB_TITLES, {"first": 100}))["jobTitles"]
    labels = names(everything, "libelle")
    total = everything["totalCount"]
    assert total == len(labels) >= 4
    # When a client reads the last two, then the two before them
    last = (await api(JOB_TITLES, {"last": 2}))["jobTitles"]
    cursor = last["edges"][0]["cursor"]
    before = (await api(JOB_TITLES, {"last": 2, "before": cursor}))["jobTitles"]
    # Then they are the ranking's last four, in order
    assert names(last, "libelle") == labels[-2:] and flags(last) == (True, False)
    assert names(before, "libelle") == labels[-4:-2] and flags(before) == (True, True)
    assert before["totalCount"] == total


OFFERS = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  offerSearch(criteria: {}, sort: DATE, first: $first, after: $after, last: $last,
              before: $before) {
    edges { cursor node { number } } totalCount pageInfo { hasNextPage hasPreviousPage }
  }
}
"""


async def test_offer_search_pages_backward_through_its_results(
    server: LiveServer, api: GraphQL
) -> None:
    # Given the demo's offers, newest first
    await seed(server.runtime)
    everything = (await api(OFFERS, {"first": 100}))["offerSearch"]
    numbers = names(everything, "number")
    assert everything["totalCount"] == len(numbers) >= 10
    # When a client reads the last three, then the two before them
    last = (await api(OFFERS, {"last": 3}))["offerSearch"]
    cursor = last["edges"][0]["cursor"]
    before = (await api(OFFERS, {"last": 2, "before": cursor}))["offerSearch"]
    # Then they follow the results' order, with the same total
    assert names(last, "number") == numbers[-3:] and flags(last) == (True, False)
    assert names(before, "number") == numbers[-5:-3] and flags(before) == (True, True)
    assert before["totalCount"] == everything["totalCount"]


MESSAGES = """
query ($id: ID!, $first: Int, $last: Int, $before: String) {
  node(id: $id) { ... on Conversation {
    messages(first: $first, last: $last, before: $before) {
      edges { cursor node { body } } totalCount pageInfo { hasNextPage hasPreviousPage }
    }
  } }
}
"""
START = """
mutation ($input: ConversationStartInput!) {
  conversationStart(input: $input) { conversation { id } userErrors { code } }
}
"""
SEND = """
mutation ($input: MessageSendInput!) {
  messageSend(input: $input) { message { id } userErrors { code } }
}
"""
CONVERSATIONS = "{ viewer { conversations(last: 5) { totalCount edges { node { id } } } } }"


async def test_a_conversation_pages_its_messages_both_ways(
    server: LiveServer, api: GraphQL
) -> None:
    # Given a candidat of 22200 who wrote four messages to the Guingamp agency
    founder = await sign_up_adviser(server, api)
    gui = {"code": "GUI01", "name": "Agence de Guingamp", "address": "1 place du Centre"}
    await create_agency(api, founder, postalCode="22200", communeInsee="22070", **gui)
    candidate = await sign_up_candidate(api, postal_code="22200")
    started = await api(START, {"input": {"kind": "ADVISER", "body": "M1"}}, token=candidate.token)
    conversation = started["conversationStart"]["conversation"]["id"]
    for body in ("M2", "M3", "M4"):
        sent = {"input": {"conversationId": conversation, "body": body}}
        assert (await api(SEND, sent, token=candidate.token))["messageSend"]["userErrors"] == []

    async def page(**variables: Any) -> dict[str, Any]:
        data = await api(MESSAGES, {"id": conversation, **variables}, token=candidate.token)
        connection: dict[str, Any] = data["node"]["messages"]
        return connection

    # When the client reads the newest two, the oldest two, then one before the oldest two
    newest = await page(first=2)
    oldest = await page(last=2)
    middle = await page(last=1, before=oldest["edges"][0]["cursor"])
    # Then the pages follow the list's order, newest first, each with the total
    assert (names(newest, "body"), flags(newest)) == (["M4", "M3"], (False, True))
    assert (names(oldest, "body"), flags(oldest)) == (["M2", "M1"], (True, False))
    assert (names(middle, "body"), flags(middle)) == (["M3"], (True, True))
    assert newest["totalCount"] == oldest["totalCount"] == 4
    conversations = (await api(CONVERSATIONS, token=candidate.token))["viewer"]["conversations"]
    assert conversations["totalCount"] == len(conversations["edges"]) == 1
