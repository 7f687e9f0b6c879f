"""The compiled reads' fast path (espace/fast_reads.py, schema/core/compiled/fast.py): a
request the full pipeline already answered from its plan is answered again without it,
byte for byte the same, and every other request (a revoked token, bad variables, a
persisted query, a session due its idle bump) still goes through the full pipeline."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import timedelta

import httpx

from resolvers.core.tokens import hash_token
from tests.compiled.support import reads_of
from tests.conftest import LiveServer
from tests.dashboard.test_sql import counted
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier

DOSSIERS = """
query Dossiers($first: Int, $after: String) { viewer { id dossiers(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { cursor node { id name nom phoneMobile { national } commune { name } } } } } }
"""
SESSION_REVOKE = "mutation { sessionRevoke { revokedCount } }"


async def post(
    http: httpx.AsyncClient, token: str | None, variables: dict[str, object], **extra: object
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if "accept" in extra:
        headers["Accept"] = str(extra.pop("accept"))
    body = {"query": DOSSIERS, "variables": variables, **extra}
    return await http.post("/graphql", json=body, headers=headers)


async def test_a_known_request_is_answered_the_same_by_the_fast_path(
    server: LiveServer, http: httpx.AsyncClient, api: GraphQL
) -> None:
    # Given a candidat with three dossiers,
    candidat = await sign_up_candidate(api)
    for n in range(3):
        await create_dossier(api, candidat.token, name=f"DRE{n}")
    reads = reads_of(server)
    # when the same request is sent again, then with other variables (the next page),
    first = await post(http, candidat.token, {"first": 2})
    fast_before = reads.counts["fast"]
    again = await post(http, candidat.token, {"first": 2})
    cursor = first.json()["data"]["viewer"]["dossiers"]["pageInfo"]["endCursor"]
    following = await post(http, candidat.token, {"first": 2, "after": cursor})
    # then the fast path answers both, with the very bytes and headers of the full pipeline,
    assert reads.counts["fast"] == fast_before + 2
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    edges = following.json()["data"]["viewer"]["dossiers"]["edges"]
    assert [e["node"]["name"] for e in edges] == ["DRE2"]
    # and a GraphQL-over-HTTP client gets its media type.
    typed = await post(
        http, candidat.token, {"first": 2}, accept="application/graphql-response+json"
    )
    assert typed.content == first.content
    assert typed.headers["content-type"].startswith("application/graphql-response+json")


async def test_a_revoked_token_is_answered_as_no_viewer(
    server: LiveServer, http: httpx.AsyncClient, api: GraphQL
) -> None:
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token, name="DRE")
    await post(http, candidat.token, {"first": 1})  # the request is known from now on
    anonymous = await post(http, None, {"first": 1})
    # When the candidat signs out,
    await api(SESSION_REVOKE, token=candidat.token)
    with counted(server) as statements:
        after = await post(http, candidat.token, {"first": 1})
    # then the same request sees no viewer, as without a token, after one look for the
    # session (the view answers such a token as an anonymous request).
    assert after.json() == {"data": {"viewer": None}}
    assert after.content == anonymous.content
    assert len(statements) == 2 and "sessions" in statements[0]


async def test_bad_variables_and_persisted_queries_go_to_the_pipeline(
    server: LiveServer, http: httpx.AsyncClient, api: GraphQL
) -> None:
    candidat = await sign_up_candidate(api)
    await post(http, candidat.token, {"first": 1})
    reads = reads_of(server)
    fast_before = reads.counts["fast"]
    # A page too costly, a page size over the limit, a bad cursor, a NUL character, a
    # variable of the wrong type:
    for variables, code in (
        ({"first": 10_000}, "QUERY_TOO_COSTLY"),
        ({"first": 101}, "BAD_PAGE_SIZE"),
        ({"first": 1, "after": "nope"}, "BAD_CURSOR"),
        ({"first": 1, "after": "a\u0000b"}, "BAD_USER_INPUT"),
        ({"first": "two"}, "BAD_USER_INPUT"),
    ):
        response = await post(http, candidat.token, variables)
        codes = [e["extensions"]["code"] for e in response.json()["errors"]]
        assert codes == [code], (variables, response.text)
    # and a request with extensions (a persisted query with its hash) is the view's, which
    # answers it as the plain request.
    digest = hashlib.sha256(DOSSIERS.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    hashed = await post(http, candidat.token, {"first": 1}, extensions=extensions)
    plain = await post(http, candidat.token, {"first": 1})
    assert hashed.status_code == 200 and hashed.content == plain.content
    assert reads.counts["fast"] == fast_before + 1  # the plain one


async def test_the_fast_path_checks_tokens_as_the_view_does(
    server: LiveServer, http: httpx.AsyncClient, api: GraphQL
) -> None:
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token, name="DRE")
    await post(http, candidat.token, {"first": 1})
    reads = reads_of(server)
    fast_before = reads.counts["fast"]
    # A token checked a moment ago costs no statement: the answer is one statement,
    with counted(server) as statements:
        await post(http, candidat.token, {"first": 1})
    assert reads.counts["fast"] == fast_before + 1
    assert len(statements) == 1 and "dossiers" in statements[0]
    # a token the cache does not hold is checked in the database first (and cached),
    cache = server.runtime.session_cache
    cache.clear()
    with counted(server) as statements:
        response = await post(http, candidat.token, {"first": 1})
    assert response.json()["data"]["viewer"] is not None
    assert reads.counts["fast"] == fast_before + 2
    assert len(statements) == 2 and "sessions" in statements[0]
    # and a session last seen over a minute ago has its idle expiry moved on, as the view
    # does it.
    key = hash_token(server.runtime.settings.secret_key, candidat.token)
    hit = cache.get(key)
    assert hit is not None
    stale = hit.last_seen_at - timedelta(minutes=2)
    cache.replace(key, dataclasses.replace(hit, last_seen_at=stale))
    response = await post(http, candidat.token, {"first": 1})
    assert response.json()["data"]["viewer"] is not None
    assert reads.counts["fast"] == fast_before + 3
    bumped = cache.get(key)
    assert bumped is not None and bumped.last_seen_at > hit.last_seen_at
