"""The attestations list pages like every connection: `totalCount`, and backward with
`last`/`before`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from tests.attestations.test_attestations import ask
from tests.conftest import LiveServer
from tests.support.agencies import registered_candidate, two_agencies
from tests.support.client import GraphQL

PAGE = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  viewer {
    attestations(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { node { code } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


async def page(api: GraphQL, token: str, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await api(PAGE, variables, token=token))["viewer"]["attestations"]
    return found


async def test_attestations_count_and_page_backward(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: Any
) -> None:
    # Given a registered candidat who asked for three attestations de situation
    server.runtime.clock.set(datetime(2026, 12, 5, 9, tzinfo=UTC))
    agencies = await two_agencies(server, api)
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "pg@example.org")
    asked = []
    for _ in range(3):
        payload = await ask(api, candidat.token, kind="SITUATION")
        assert payload["userErrors"] == []
        asked.append(payload["attestation"]["code"])
    newest_first = asked[::-1]

    # When the list is read two at a time, it counts three and pages both ways
    first = await page(api, candidat.token, first=2)
    assert first["totalCount"] == 3
    assert [e["node"]["code"] for e in first["edges"]] == newest_first[:2]
    rest = await page(api, candidat.token, first=2, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["code"] for e in rest["edges"]] == newest_first[2:]
    back = await page(api, candidat.token, last=2, before=rest["pageInfo"]["startCursor"])
    assert [e["node"]["code"] for e in back["edges"]] == newest_first[:2]
    assert back["pageInfo"]["hasNextPage"] and not back["pageInfo"]["hasPreviousPage"]
    tail = await page(api, candidat.token, last=1)
    assert [e["node"]["code"] for e in tail["edges"]] == newest_first[2:]
    assert tail["pageInfo"]["hasPreviousPage"] and not tail["pageInfo"]["hasNextPage"]
