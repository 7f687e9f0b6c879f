"""« Mes courriers » pages like every connection: `totalCount`, and backward with
`last`/`before` (issue 10's promise, kept by the issue 13 lists)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.letters.test_letters import issue
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher

PAGE = """
query ($first: Int, $after: String, $last: Int, $before: String, $unreadOnly: Boolean) {
  viewer {
    letters(first: $first, after: $after, last: $last, before: $before,
            unreadOnly: $unreadOnly) {
      totalCount
      edges { cursor node { kind } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


async def page(api: GraphQL, token: str, **variables: Any) -> dict[str, Any]:
    letters: dict[str, Any] = (await api(PAGE, variables, token=token))["viewer"]["letters"]
    return letters


def kinds(letters: dict[str, Any]) -> list[str]:
    return [e["node"]["kind"] for e in letters["edges"]]


async def test_letters_count_and_page_backward(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat of Guingamp with three letters, issued in this order
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "p@example.org")
    for kind in ("CONVOCATION", "DEMANDE_PIECES", "AVIS_PAIEMENT"):
        payload = await issue(
            api, adviser, identifiant=candidat.identifiant, kind=kind, body="Bonjour."
        )
        assert payload["userErrors"] == []

    # When they read the newest two: the whole list counts three, more follow
    newest = await page(api, candidat.token, first=2)
    assert newest["totalCount"] == 3
    assert kinds(newest) == ["AVIS_PAIEMENT", "DEMANDE_PIECES"]
    assert newest["pageInfo"]["hasNextPage"] and not newest["pageInfo"]["hasPreviousPage"]
    # Then forward after it: the oldest
    rest = await page(api, candidat.token, first=2, after=newest["pageInfo"]["endCursor"])
    assert kinds(rest) == ["CONVOCATION"]
    assert not rest["pageInfo"]["hasNextPage"] and rest["pageInfo"]["hasPreviousPage"]
    # And backward from the oldest: the two newer ones, still newest first
    back = await page(api, candidat.token, last=2, before=rest["pageInfo"]["startCursor"])
    assert kinds(back) == ["AVIS_PAIEMENT", "DEMANDE_PIECES"]
    assert back["pageInfo"]["hasNextPage"] and not back["pageInfo"]["hasPreviousPage"]
    # The end of the list without a cursor: the oldest one
    tail = await page(api, candidat.token, last=1)
    assert kinds(tail) == ["CONVOCATION"] and tail["pageInfo"]["hasPreviousPage"]
    # The count follows the filter, and both directions at once are refused
    assert (await page(api, candidat.token, unreadOnly=True))["totalCount"] == 3
    both = await api.raw(PAGE, {"first": 1, "last": 1}, token=candidat.token)
    assert both["errors"][0]["extensions"]["code"] == "BAD_PAGE_SIZE"
