"""The app shell: health check, GraphQL endpoint, and refusals of bad input with stable codes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

TYPENAME = "{ __typename }"


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body["errors"]]


async def test_healthz_checks_database(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_query_over_post_and_get(http: httpx.AsyncClient) -> None:
    post = await http.post("/graphql", json={"query": TYPENAME})
    assert post.json() == {"data": {"__typename": "Query"}}
    get = await http.get("/graphql", params={"query": TYPENAME})
    assert get.json() == {"data": {"__typename": "Query"}}


async def test_graphiql_for_browsers(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_mutation_over_get_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/graphql", params={"query": "mutation { sessionRevoke { userErrors { code } } }"}
    )
    assert response.status_code == 405
    assert codes(response.json()) == ["MUTATION_OVER_GET"]


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b'{"query": "{ __typename }"', "application/json", 400, "BAD_REQUEST"),
        (b'{"query": "\xff\xfe"}', "application/json", 400, "BAD_REQUEST"),
        (b"query=x", "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"query": 12}', "application/json", 400, "BAD_REQUEST"),
        (b'{"query": "{ __typename }", "variables": [1]}', "application/json", 400, "BAD_REQUEST"),
        (b"[]", "application/json", 400, "BAD_REQUEST"),
    ],
    ids=[
        "malformed-json",
        "invalid-utf8",
        "wrong-content-type",
        "query-not-string",
        "variables-not-object",
        "batch-refused",
    ],
)
async def test_malformed_requests_get_json_errors(
    http: httpx.AsyncClient, content: bytes, content_type: str, status: int, code: str
) -> None:
    response = await http.post("/graphql", content=content, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert codes(response.json()) == [code]
    assert response.json()["errors"][0]["message"]


async def test_body_over_the_limit_is_refused(http: httpx.AsyncClient) -> None:
    padding = "x" * (1024 * 1024 + 1)
    response = await http.post("/graphql", json={"query": TYPENAME, "variables": {"p": padding}})
    assert response.status_code == 413
    assert codes(response.json()) == ["PAYLOAD_TOO_LARGE"]


async def test_depth_limit(http: httpx.AsyncClient) -> None:
    deep = (
        "{ __typename " + "".join(f"a{i}: viewer {{ " for i in range(13)) + "id" + " }" * 13 + "}"
    )
    body = (await http.post("/graphql", json={"query": deep})).json()
    assert "QUERY_TOO_DEEP" in codes(body)
    assert "data" not in body or body["data"] is None


async def test_alias_limit(http: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
    body = (await http.post("/graphql", json={"query": query})).json()
    assert codes(body) == ["TOO_MANY_ALIASES"]


async def test_token_limit(http: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(["__typename"] * 2001) + " }"
    body = (await http.post("/graphql", json={"query": query})).json()
    assert codes(body) == ["TOO_MANY_TOKENS"]


async def test_unknown_field_and_wrong_type(http: httpx.AsyncClient) -> None:
    unknown = (await http.post("/graphql", json={"query": "{ nope }"})).json()
    assert codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"]
    wrong = (await http.post("/graphql", json={"query": "{ node(id: true) { id } }"})).json()
    assert codes(wrong) == ["GRAPHQL_VALIDATION_FAILED"]
    forged = (await http.post("/graphql", json={"query": '{ node(id: "12") { id } }'})).json()
    assert codes(forged) == ["INVALID_ID"]
    variable = (
        await http.post(
            "/graphql",
            json={"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": None}},
        )
    ).json()
    assert codes(variable) == ["BAD_USER_INPUT"]


async def test_syntax_error(http: httpx.AsyncClient) -> None:
    body = (await http.post("/graphql", json={"query": "{ viewer { "})).json()
    assert codes(body) == ["GRAPHQL_PARSE_FAILED"]


async def test_import_graphql_is_graphql_core() -> None:
    import graphql

    assert hasattr(graphql, "graphql_sync"), "graphql/ must not shadow graphql-core"


class TestProductionSettings:
    """With debug off: no field suggestions; introspection and GraphiQL can be switched off."""

    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"debug": False, "introspection": False, "graphiql": False}

    async def test_no_field_suggestions(self, http: httpx.AsyncClient) -> None:
        body = (await http.post("/graphql", json={"query": "{ viewe { id } }"})).json()
        assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert "Did you mean" not in body["errors"][0]["message"]

    async def test_introspection_off(self, http: httpx.AsyncClient) -> None:
        query = "{ __schema { types { name } } }"
        body = (await http.post("/graphql", json={"query": query})).json()
        assert set(codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}
        assert body.get("data") is None

    async def test_graphiql_off(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/graphql", headers={"Accept": "text/html"})
        assert response.status_code == 404

    async def test_dev_mails_not_mounted(self, http: httpx.AsyncClient) -> None:
        assert (await http.get("/dev/mails")).status_code == 404


GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_graphql_response_json_when_accepted(http: httpx.AsyncClient) -> None:
    # A well-formed request that executes: 200 with the GraphQL response media type
    ok = await http.post("/graphql", json={"query": TYPENAME}, headers={"Accept": GRAPHQL_RESPONSE})
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert ok.json() == {"data": {"__typename": "Query"}}
    # A request error (validation): 400, and no data entry at all
    bad = await http.post(
        "/graphql", json={"query": "{ nope }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert bad.status_code == 400
    assert "data" not in bad.json()
    assert codes(bad.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    # A field error during execution still answers 200 with data
    forged = await http.post(
        "/graphql", json={"query": '{ node(id: "x") { id } }'}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert forged.status_code == 200 and "data" in forged.json()


async def test_legacy_json_keeps_200_for_well_formed_requests(http: httpx.AsyncClient) -> None:
    bad = await http.post(
        "/graphql", json={"query": "{ nope }"}, headers={"Accept": "application/json"}
    )
    assert bad.status_code == 200
    assert bad.headers["content-type"].startswith("application/json")
    assert codes(bad.json()) == ["GRAPHQL_VALIDATION_FAILED"]
