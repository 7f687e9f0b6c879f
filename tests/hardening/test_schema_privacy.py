"""Schema privacy in production: no « Did you mean » of any kind with debug off, and
introspection and GraphiQL off by default outside debug and demo."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ground.settings import Settings

SECRET = "test-secret-key-not-for-production"

# Each document (and its variables) draws a suggestion from graphql-core in debug mode.
NEAR_MISSES: list[tuple[str, dict[str, Any]]] = [
    ("{ viewe { id } }", {}),  # field
    ('{ offer(numbr: "048KLTP") { id } }', {}),  # argument
    ("{ offerSearch(sort: RELEVANC) { edges { cursor } } }", {}),  # enum value (literal)
    ('{ offerSearch(criteria: {keyword: "x"}) { edges { cursor } } }', {}),  # input field
    ("query ($s: OfferSortt) { offerSearch(sort: $s) { edges { cursor } } }", {}),  # type
    ("fragment F on Querry { __typename } { ...F }", {}),  # type condition
    (  # enum value in variables (coerced at execution)
        "query ($s: OfferSort!) { offerSearch(sort: $s) { edges { cursor } } }",
        {"s": "RELEVANC"},
    ),
    (  # input field in variables
        "query ($c: OfferSearchCriteria) { offerSearch(criteria: $c) { edges { cursor } } }",
        {"c": {"keyword": "x"}},
    ),
]


def messages(body: dict[str, Any]) -> list[str]:
    return [e["message"] for e in body.get("errors") or []]


async def test_debug_suggests(http: httpx.AsyncClient) -> None:
    # The tests' server runs in debug: the near misses do draw suggestions there, so the
    # production test below checks documents that really would leak names.
    for query, variables in NEAR_MISSES:
        body = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
        assert any("Did you mean" in m for m in messages(body)), (query, body)


@pytest.mark.parametrize("introspection", [True, False], ids=["introspection-on", "off"])
class TestNoSuggestionsWithoutDebug:
    @pytest.fixture
    def settings_overrides(self, introspection: bool) -> dict[str, Any]:
        return {"debug": False, "introspection": introspection}

    async def test_no_suggestion_of_any_kind(self, http: httpx.AsyncClient) -> None:
        for query, variables in NEAR_MISSES:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
            body = response.json()
            assert body.get("errors"), (query, body)
            for message in messages(body):
                assert "Did you mean" not in message, (query, message)
                assert "RELEVANCE" not in message and "keywords" not in message


class TestProductionDefaults:
    """Neither debug nor demo: introspection and GraphiQL are off unless switched on."""

    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"debug": False, "introspection": None, "graphiql": None}

    async def test_introspection_off_by_default(self, http: httpx.AsyncClient) -> None:
        body = (
            await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        ).json()
        assert {e["extensions"]["code"] for e in body["errors"]} == {"GRAPHQL_VALIDATION_FAILED"}
        assert body.get("data") is None

    async def test_graphiql_off_by_default(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/graphql", headers={"Accept": "text/html"})
        assert response.status_code == 404


def test_defaults_follow_debug_and_demo() -> None:
    production = Settings(secret_key=SECRET)
    assert not production.introspection_enabled and not production.graphiql_enabled
    for mode in ({"debug": True}, {"demo": True}):
        settings = Settings(secret_key=SECRET, **mode)
        assert settings.introspection_enabled and settings.graphiql_enabled
    switched = Settings(secret_key=SECRET, introspection=True, graphiql=True)
    assert switched.introspection_enabled and switched.graphiql_enabled
    forced_off = Settings(secret_key=SECRET, demo=True, introspection=False, graphiql=False)
    assert not forced_off.introspection_enabled and not forced_off.graphiql_enabled
