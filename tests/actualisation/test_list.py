"""« Consulter les périodes d'actualisation »: newest month first, paginated, versions
batched (the same statements for one declaration or three)."""

from __future__ import annotations

from tests.actualisation.support import CORRECT, SUBMIT, at, declaration, mutate, paris
from tests.conftest import LiveServer
from tests.dashboard.test_sql import counted
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL

PERIODS = """
query ($first: Int, $after: String) { viewer { actualisations(first: $first, after: $after) {
  edges { node { period version versions { version } } }
  pageInfo { hasNextPage endCursor }
} } }
"""


async def declare_months(server: LiveServer, api: GraphQL, token: str, months: int) -> None:
    for month in range(months):
        await at(server, paris(2026, 10 + month, 2, 12, 0))
        sent = await mutate(api, SUBMIT, token, **declaration(worked=False, employers=[]))
        assert sent["userErrors"] == [], sent
        fixed = await mutate(api, CORRECT, token, **declaration(worked=False, employers=[]))
        assert fixed["userErrors"] == [], fixed


async def test_periods_are_listed_newest_first_with_their_versions_batched(
    server: LiveServer, api: GraphQL
) -> None:
    await at(server, paris(2026, 9, 20, 12, 0))
    one = await sign_up_candidate(api)
    three = await sign_up_candidate(api)
    await declare_months(server, api, one.token, 1)
    await at(server, paris(2026, 9, 20, 12, 0))
    await declare_months(server, api, three.token, 3)
    with counted(server) as few:
        await api(PERIODS, {"first": 10}, token=one.token)
    with counted(server) as many:
        page = (await api(PERIODS, {"first": 10}, token=three.token))["viewer"]["actualisations"]
    assert len(many) == len(few), (few, many)
    assert [e["node"]["period"] for e in page["edges"]] == [
        "2026-11-01",
        "2026-10-01",
        "2026-09-01",
    ]
    assert all(e["node"]["versions"] == [{"version": 1}, {"version": 2}] for e in page["edges"])
    # Pages follow one another
    first = (await api(PERIODS, {"first": 2}, token=three.token))["viewer"]["actualisations"]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    rest = (await api(PERIODS, {"first": 2, "after": after}, token=three.token))["viewer"]
    assert [e["node"]["period"] for e in rest["actualisations"]["edges"]] == ["2026-09-01"]
