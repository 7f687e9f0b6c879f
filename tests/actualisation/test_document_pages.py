"""Supporting documents page like every connection: `totalCount` (following the status
filter), and backward with `last`/`before`."""

from __future__ import annotations

from typing import Any

import httpx

from tests.actualisation.support import agency_with_adviser
from tests.actualisation.test_documents import upload
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.cvs import tiny_pdf

PAGE = """
query ($first: Int, $after: String, $last: Int, $before: String,
       $status: SupportingDocumentStatus) {
  viewer {
    supportingDocuments(first: $first, after: $after, last: $last, before: $before,
                        status: $status) {
      totalCount
      edges { node { id } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


async def page(api: GraphQL, token: str, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await api(PAGE, variables, token=token))["viewer"][
        "supportingDocuments"
    ]
    return found


def ids(found: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in found["edges"]]


async def test_documents_count_and_page_backward(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient
) -> None:
    # Given a candidat of Guingamp who sent three payslips
    await agency_with_adviser(server, api)
    candidate = await sign_up_candidate(api, postal_code="22200")
    sent = []
    for day in ("2026-07-17", "2026-08-17", "2026-09-17"):
        payload = await upload(
            http, candidate.token, tiny_pdf(), "bulletin.pdf", code="BDS", period=day
        )
        assert payload["userErrors"] == []
        sent.append(payload["document"]["id"])
    newest_first = sent[::-1]

    # When the list is read two at a time, it counts three and pages both ways
    first = await page(api, candidate.token, first=2)
    assert first["totalCount"] == 3 and ids(first) == newest_first[:2]
    rest = await page(api, candidate.token, first=2, after=first["pageInfo"]["endCursor"])
    assert ids(rest) == newest_first[2:]
    back = await page(api, candidate.token, last=2, before=rest["pageInfo"]["startCursor"])
    assert ids(back) == newest_first[:2]
    assert back["pageInfo"]["hasNextPage"] and not back["pageInfo"]["hasPreviousPage"]
    # The count follows the status filter
    assert (await page(api, candidate.token, status="PENDING"))["totalCount"] == 3
    assert (await page(api, candidate.token, status="ACCEPTED"))["totalCount"] == 0
