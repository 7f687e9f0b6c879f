"""``viewer.situationChanges`` pages forward and backward, newest first, with its count."""

from __future__ import annotations

import httpx

from tests.actualisation.support import at, paris
from tests.conftest import LiveServer
from tests.situation.support import changes, declare
from tests.support.agencies import registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher


async def test_changes_page_newest_first_both_ways(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given three absences declared by Annaïg
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    references = []
    for start, end in (
        ("2026-10-01", "2026-10-02"),
        ("2026-10-05", "2026-10-06"),
        ("2026-10-08", "2026-10-09"),
    ):
        payload = await declare(api, annaig.token, kind="ABSENCE", startDate=start, endDate=end)
        references.append(payload["situationChange"]["reference"])
    # The references follow one another
    assert [r.rsplit("-", 1)[1] for r in references] == ["1", "2", "3"]
    newest = references[::-1]

    def refs(page: dict[str, object]) -> list[str]:
        return [e["node"]["reference"] for e in page["edges"]]  # type: ignore[attr-defined, index]

    # When she reads them two at a time, newest first
    first = await changes(api, annaig.token, first=2)
    assert refs(first) == newest[:2] and first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await changes(api, annaig.token, first=2, after=first["pageInfo"]["endCursor"])
    assert refs(rest) == newest[2:] and rest["pageInfo"]["hasNextPage"] is False
    # And backward from the oldest
    back = await changes(api, annaig.token, last=2, before=rest["pageInfo"]["startCursor"])
    assert refs(back) == newest[:2] and back["totalCount"] == 3
