"""Automatic persisted queries (Apollo's APQ protocol) and the trusted-documents mode, over
HTTP, with the memory store and the Redis store."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import parse, print_ast

from ground.settings import Settings
from refdata import ReferenceData
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.ws import ws_connect

COMMUNES = "query Communes($cp: String!) { communes(postalCode: $cp) { inseeCode name } }"
VIEWER = "query Me { viewer { id kind } }"
VISIT = "mutation Visit { dashboardVisit { userErrors { code } } }"
ROOT = Path(__file__).resolve().parents[2]
VIEWER_FILE = (ROOT / "graphql" / "operations" / "Viewer.graphql").read_text(encoding="utf-8")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha(query)}}


async def post(
    http: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    return await http.post("/graphql", json=body, headers=headers or {})


async def get(
    http: httpx.AsyncClient, params: dict[str, Any], headers: dict[str, str] | None = None
) -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in params.items()}
    # Apollo's HttpLink sends `accept: */*`-like headers; GraphiQL must not answer instead.
    return await http.get("/graphql", params=encoded, headers={"accept": "*/*", **(headers or {})})


@pytest.fixture(params=["memory", "redis"])
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.param == "memory":
        return {}
    prefix: str = request.getfixturevalue("redis_prefix")
    return {"redis_url": request.getfixturevalue("redis_url"), "redis_prefix": prefix}


async def test_an_unknown_hash_is_asked_for_then_stored_and_reused(
    http: httpx.AsyncClient,
) -> None:
    extensions = persisted(COMMUNES)
    variables = {"cp": "22200"}
    # given a hash the server has never seen, it asks for the document, as Apollo's link expects
    first = await post(http, {"extensions": extensions, "variables": variables})
    assert first.status_code == 200
    assert first.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    # when the client sends hash and document, it runs and is stored
    second = await post(http, {"query": COMMUNES, "extensions": extensions, "variables": variables})
    communes = second.json()["data"]["communes"]
    assert len(communes) == 10
    # then the hash alone works over POST and over GET
    third = await post(http, {"extensions": extensions, "variables": variables})
    assert third.json() == {"data": {"communes": communes}}
    fourth = await get(http, {"extensions": extensions, "variables": variables})
    assert fourth.status_code == 200, fourth.text
    assert fourth.json() == {"data": {"communes": communes}}


async def test_a_hash_only_request_runs_as_the_signed_in_viewer(
    http: httpx.AsyncClient, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    auth = {"Authorization": f"Bearer {candidate.token}"}
    await post(http, {"query": VIEWER, "extensions": persisted(VIEWER)}, auth)
    found = await get(http, {"extensions": persisted(VIEWER)}, auth)
    assert found.json() == {"data": {"viewer": {"id": candidate.viewer_id, "kind": "CANDIDAT"}}}


async def test_under_graphql_over_http_an_unknown_hash_is_a_404(http: httpx.AsyncClient) -> None:
    response = await post(
        http,
        {"extensions": persisted(COMMUNES + " ")},
        {"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_hash_that_does_not_match_its_document_is_refused(
    http: httpx.AsyncClient,
) -> None:
    response = await post(http, {"query": COMMUNES, "extensions": persisted(VIEWER)})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    # and nothing was stored under the wrong hash
    again = await post(http, {"extensions": persisted(VIEWER)})
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    ("persisted_query", "code"),
    [
        ({"version": 2, "sha256Hash": "0" * 64}, "PERSISTED_QUERY_VERSION_UNSUPPORTED"),
        ({"version": 1, "sha256Hash": "not-a-hash"}, "BAD_REQUEST"),
        ("yes", "PERSISTED_QUERY_VERSION_UNSUPPORTED"),
    ],
    ids=["version", "hash", "shape"],
)
async def test_a_malformed_persisted_query_is_a_400(
    http: httpx.AsyncClient, persisted_query: object, code: str
) -> None:
    response = await post(http, {"extensions": {"persistedQuery": persisted_query}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_a_persisted_mutation_is_still_refused_over_get(
    http: httpx.AsyncClient, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    auth = {"Authorization": f"Bearer {candidate.token}"}
    stored = await post(http, {"query": VISIT, "extensions": persisted(VISIT)}, auth)
    assert stored.json()["data"] == {"dashboardVisit": {"userErrors": []}}
    response = await get(http, {"extensions": persisted(VISIT)}, auth)
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "MUTATION_OVER_GET"


async def test_a_document_that_does_not_parse_is_not_stored(http: httpx.AsyncClient) -> None:
    broken = "query { communes("
    response = await post(http, {"query": broken, "extensions": persisted(broken)})
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    again = await post(http, {"extensions": persisted(broken)})
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_the_redis_store_is_shared_by_every_process(
    http: httpx.AsyncClient, settings: Settings, reference_data: ReferenceData
) -> None:
    if not settings.redis_url:
        pytest.skip("the Redis store only")
    # given a document registered on one server
    await post(
        http, {"query": COMMUNES, "extensions": persisted(COMMUNES), "variables": {"cp": "22200"}}
    )
    # then another process with the same Redis runs it by hash
    other = LiveServer(settings, 0, reference_data)
    await other.start()
    try:
        async with httpx.AsyncClient(base_url=other.url) as client:
            found = await post(
                client, {"extensions": persisted(COMMUNES), "variables": {"cp": "22200"}}
            )
    finally:
        await other.stop()
    assert len(found.json()["data"]["communes"]) == 10


class TestTrustedDocuments:
    """Production mode: only the documents of graphql/operations run."""

    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"trusted_documents": True}

    async def test_a_manifest_document_runs_by_text_by_printed_text_or_by_hash(
        self, http: httpx.AsyncClient
    ) -> None:
        anonymous = {"data": {"viewer": None}}
        # the file as it is
        assert (await post(http, {"query": VIEWER_FILE})).json() == anonymous
        # the same document as graphql-js / graphql-core print it (what codegen tools hash)
        printed = print_ast(parse(VIEWER_FILE))
        assert (await post(http, {"query": printed})).json() == anonymous
        # only its hash, over POST and GET, with no registration first
        assert (await post(http, {"extensions": persisted(VIEWER_FILE)})).json() == anonymous
        assert (await get(http, {"extensions": persisted(printed)})).json() == anonymous

    async def test_any_other_document_is_refused(self, http: httpx.AsyncClient) -> None:
        # a document outside the manifest
        response = await post(http, {"query": VIEWER})
        assert response.status_code == 403
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "DOCUMENT_NOT_TRUSTED"
        # an unknown hash asks for the document, which is then refused, and not stored
        asked = await post(http, {"extensions": persisted(VIEWER)})
        assert asked.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        sent = await post(http, {"query": VIEWER, "extensions": persisted(VIEWER)})
        assert sent.status_code == 403
        again = await post(http, {"extensions": persisted(VIEWER)})
        assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    async def test_websocket_documents_are_checked_too(
        self, server: LiveServer, http: httpx.AsyncClient
    ) -> None:
        token = await _trusted_sign_up(http)
        async with ws_connect(server) as ws:
            await ws.init(token)
            await ws.subscribe("1", VIEWER)
            refused = await ws.receive()
            assert refused["type"] == "error"
            assert refused["payload"][0]["extensions"]["code"] == "DOCUMENT_NOT_TRUSTED"
            await ws.subscribe("2", VIEWER_FILE)
            assert (await ws.next_data("2"))["viewer"]["kind"] == "CANDIDAT"


async def _trusted_sign_up(http: httpx.AsyncClient) -> str:
    """A candidat signed up and signed in with the manifest's own documents."""
    operations = ROOT / "graphql" / "operations"
    sign_up = (operations / "CandidateSignUp.graphql").read_text(encoding="utf-8")
    sign_in = (operations / "SessionCreate.graphql").read_text(encoding="utf-8")
    password = "correct horse battery staple"
    created = await post(
        http,
        {
            "query": sign_up,
            "variables": {"password": password, "postalCode": "22200"},
        },
    )
    body = created.json()
    assert "errors" not in body, body
    identifiant = body["data"]["candidateSignUp"]["identifiant"]
    opened = await post(
        http,
        {
            "query": sign_in,
            "variables": {"identifiant": identifiant, "postalCode": "22200", "password": password},
        },
    )
    token: str = opened.json()["data"]["sessionCreate"]["token"]
    return token


@pytest.mark.parametrize("settings_overrides", [{"apq_cache_size": 2}], ids=["two-entries"])
async def test_the_memory_store_keeps_the_most_recently_used_documents(
    http: httpx.AsyncClient,
) -> None:
    documents = [f"query Q{n} {{ __typename }}" for n in range(3)]
    for document in documents[:2]:
        await post(http, {"query": document, "extensions": persisted(document)})
    # using the first one makes the second the least recently used
    used = await post(http, {"extensions": persisted(documents[0])})
    assert used.json() == {"data": {"__typename": "Query"}}
    await post(http, {"query": documents[2], "extensions": persisted(documents[2])})
    codes = []
    for document in documents:
        body = (await post(http, {"extensions": persisted(document)})).json()
        codes.append(body["errors"][0]["extensions"]["code"] if "errors" in body else "OK")
    assert codes == ["OK", "PERSISTED_QUERY_NOT_FOUND", "OK"]


async def test_a_browser_s_get_without_a_hash_still_opens_graphiql(
    http: httpx.AsyncClient,
) -> None:
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = await http.get("/graphql", headers=browser)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # while a GET with only a persisted-query hash is a GraphQL request, not the IDE
    hashed = await get(http, {"extensions": persisted(COMMUNES)}, browser)
    assert hashed.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
