"""Across processes: a token's session check cached by process B is dropped through Redis
as soon as process A signs it out, revokes it or changes the account (issue 12). Two
in-process servers on one PostgreSQL and one Redis; run with ESPACE_TEST_REDIS=1 and
ESPACE_TEST_POSTGRES=1."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.server.test_scale_out import Cluster, cluster, shared_database  # noqa: F401
from tests.support.accounts import sign_in_candidate, sign_up_candidate
from tests.support.client import GraphQL

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

VIEWER = "query Me { viewer { kind } }"
LAST_VISIT = "{ viewer { dashboard { lastVisitAt } } }"
VISIT = "mutation { dashboardVisit { userErrors { code } } }"
SESSION_REVOKE = "mutation { sessionRevoke { revokedCount userErrors { code } } }"
SESSION_REVOKE_ALL = """
mutation ($input: SessionRevokeAllInput) {
  sessionRevokeAll(input: $input) { revokedCount userErrors { code } }
}
"""
# A minute: only the broker's message, never the cache's own age, can end B's entry in time.
LONG = {"session_cache_seconds": 60}


async def refused_within(api: GraphQL, token: str, seconds: float) -> float:
    """How long until ``token`` is refused by ``api``'s server (fails past ``seconds``)."""
    start = time.monotonic()
    while (await api(VIEWER, token=token))["viewer"] is not None:
        assert time.monotonic() - start < seconds, "still served from the cache"
        await asyncio.sleep(0.02)
    return time.monotonic() - start


async def test_sign_out_on_a_refuses_the_token_cached_on_b(cluster: Cluster) -> None:  # noqa: F811
    _, api_a = await cluster.server(**LONG)
    b, api_b = await cluster.server(**LONG)
    candidate = await sign_up_candidate(api_a)
    # B has checked the token: it is in B's cache
    assert (await api_b(VIEWER, token=candidate.token))["viewer"] == {"kind": "CANDIDAT"}
    assert len(b.runtime.session_cache) == 1
    # when the candidat signs out through A
    data = await api_a(SESSION_REVOKE, token=candidate.token)
    assert data["sessionRevoke"] == {"revokedCount": 1, "userErrors": []}
    # then B refuses the token well within a second
    assert await refused_within(api_b, candidate.token, 1.0) < 1.0


async def test_revoke_all_on_a_ends_the_sessions_cached_on_b(cluster: Cluster) -> None:  # noqa: F811
    _, api_a = await cluster.server(**LONG)
    _, api_b = await cluster.server(**LONG)
    candidate = await sign_up_candidate(api_a)
    other = (await sign_in_candidate(api_a, candidate.identifiant, candidate.password, "22200"))[
        "token"
    ]
    for token in (candidate.token, other):
        assert (await api_b(VIEWER, token=token))["viewer"] is not None
    data = await api_a(SESSION_REVOKE_ALL, {"input": {"keepCurrent": True}}, token=other)
    assert data["sessionRevokeAll"] == {"revokedCount": 1, "userErrors": []}
    await refused_within(api_b, candidate.token, 1.0)
    assert (await api_b(VIEWER, token=other))["viewer"] is not None


async def test_an_account_change_on_a_shows_on_b(cluster: Cluster) -> None:  # noqa: F811
    _, api_a = await cluster.server(**LONG)
    _, api_b = await cluster.server(**LONG)
    candidate = await sign_up_candidate(api_a)
    assert (await api_b(LAST_VISIT, token=candidate.token))["viewer"]["dashboard"] == {
        "lastVisitAt": None
    }
    assert (await api_a(VISIT, token=candidate.token))["dashboardVisit"]["userErrors"] == []
    start = time.monotonic()
    while True:
        board = (await api_b(LAST_VISIT, token=candidate.token))["viewer"]["dashboard"]
        if board["lastVisitAt"] is not None:
            break
        assert time.monotonic() - start < 1.0, "B still shows the cached account"
        await asyncio.sleep(0.02)
