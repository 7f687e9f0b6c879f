"""Document cost: linear analysis (fragments measured once), real page sizes and list bounds,
the response-size guard, and standard introspection within the limits."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    get_introspection_query,
    parse,
)

from ground.settings import Settings
from schema import build_schema
from schema.core.limits import measure_operation
from schema.core.list_bounds import list_bound


def fragment_bomb(levels: int) -> str:
    """Each fragment spreads the previous one twice: 2**levels fields once expanded."""
    chain = " ".join(
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    )
    return f"query {{ ...F{levels} }} fragment F0 on Query {{ __typename }} {chain}"


def nested_cvs(first: str = "") -> str:
    """15 aliases of viewer > dossiers > cvs > experiences, with or without page sizes."""
    dossiers = f"dossiers{first and '(first: 20)'}"
    cvs = f"cvs{first and '(first: 20)'}"
    one = (
        f"{{ {dossiers} {{ edges {{ node {{ {cvs} {{ edges {{ node {{ "
        "experiences { job employer place startDate } } } } } } } }"
    )
    return "{ " + " ".join(f"v{i}: viewer {one}" for i in range(15)) + " }"


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def cost_in(message: str) -> int:
    found = re.search(r"\((\d+), maximum", message)
    assert found, message
    return int(found.group(1))


async def test_fragment_bomb_is_refused(http: httpx.AsyncClient) -> None:
    # Given a 40-level fragment bomb (2**40 fields once expanded)
    # When it is sent
    response = await http.post("/graphql", json={"query": fragment_bomb(40)})
    # Then it is refused as too costly, before anything runs
    body = response.json()
    assert codes(body) == ["QUERY_TOO_COSTLY"]
    assert body.get("data") is None
    # And the server still answers others
    assert (await http.post("/graphql", json={"query": "{ __typename }"})).json() == {
        "data": {"__typename": "Query"}
    }


def test_each_fragment_is_measured_once() -> None:
    schema = build_schema(Settings(debug=True))._schema
    document = parse(fragment_bomb(40))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    measure, analysis = measure_operation(schema, operation, fragments, 100)
    assert measure.cost == 2**40
    assert analysis.fragment_visits == 41  # F0…F40, each once, though spread 2**40 times


async def test_omitted_first_counts_the_default_page(http: httpx.AsyncClient) -> None:
    # Given the same document with and without page sizes (the server's default is 20)
    omitted = (await http.post("/graphql", json={"query": nested_cvs()})).json()
    explicit = (await http.post("/graphql", json={"query": nested_cvs(first="20")})).json()
    # Then both are refused, at the same cost: an omitted `first` is the page really used
    assert codes(omitted) == ["QUERY_TOO_COSTLY"]
    assert codes(explicit) == ["QUERY_TOO_COSTLY"]
    assert cost_in(omitted["errors"][0]["message"]) == cost_in(explicit["errors"][0]["message"])


async def test_plain_lists_count_their_bound(http: httpx.AsyncClient) -> None:
    # Given 2 x 10 dossiers x 10 CVs, each CV with up to 30 experiences (Cv.experiences)
    cv = "id experiences { job employer place startDate }"
    one = f"{{ dossiers(first: 10) {{ edges {{ node {{ cvs(first: 10) {{ edges {{ node {{ {cv} }}"
    query = "{ a: viewer " + one + " } } } } } } b: viewer " + one + " } } } } } } }"
    # When it is sent
    body = (await http.post("/graphql", json={"query": query})).json()
    # Then the experiences count 30 each (counted as 1, the document would cost ~1,000)
    assert codes(body) == ["QUERY_TOO_COSTLY"]
    assert cost_in(body["errors"][0]["message"]) > 2 * 10 * 10 * 30 * 4
    # And without the list the same pages pass
    light = query.replace(" experiences { job employer place startDate }", "")
    assert "errors" not in (await http.post("/graphql", json={"query": light})).json()


async def test_a_page_size_from_a_variable_counts_its_value(http: httpx.AsyncClient) -> None:
    cv = "experiences { job employer place startDate }"
    one = f"{{ dossiers(first: $n) {{ edges {{ node {{ cvs(first: $n) {{ edges {{ node {{ {cv} }}"
    query = (
        "query ($n: Int) { a: viewer " + one + " } } } } } } b: viewer " + one + " } } } } } } }"
    )
    # 2 x 10 x 10 CVs of 30 experiences: too costly
    big = await http.post("/graphql", json={"query": query, "variables": {"n": 10}})
    assert codes(big.json()) == ["QUERY_TOO_COSTLY"]
    # The same document for 2 x 5 x 5 CVs runs (anonymous: no viewer)
    small = await http.post("/graphql", json={"query": query, "variables": {"n": 5}})
    assert small.json() == {"data": {"a": None, "b": None}}
    # Without the variable, the default page of 20 counts
    default = await http.post("/graphql", json={"query": query})
    assert codes(default.json()) == ["QUERY_TOO_COSTLY"]


def test_every_list_field_has_a_bound() -> None:
    schema = build_schema(Settings(debug=True))._schema
    missing = []
    for type_name, named in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(named, GraphQLObjectType):
            continue
        for name, field in named.fields.items():
            of_type = field.type
            while isinstance(of_type, GraphQLNonNull):
                of_type = of_type.of_type
            if isinstance(of_type, GraphQLList) and list_bound(type_name, name, field) is None:
                missing.append(f"{type_name}.{name}")
    assert missing == [], f"declare a bound in schema/core/list_bounds.py for {missing}"


class TestResponseSizeGuard:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"max_response_bytes": 4096}

    async def test_large_response_is_refused(self, http: httpx.AsyncClient) -> None:
        # Given a limit of 4 KiB and a document whose answer is larger (the schema's types)
        query = "{ __schema { types { name description fields { name description } } } }"
        response = await http.post("/graphql", json={"query": query})
        # Then no data is sent, only a refusal with a stable code
        body = response.json()
        assert codes(body) == ["RESPONSE_TOO_LARGE"]
        assert "data" not in body or body["data"] is None
        assert len(response.content) < 4096
        assert "Kio" in body["errors"][0]["message"]
        # And a small answer is untouched
        small = await http.post("/graphql", json={"query": "{ __typename }"})
        assert small.json() == {"data": {"__typename": "Query"}}


FULL_INTROSPECTION = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)

EVERY_OPTION = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
    experimental_directive_deprecation=True,
    one_of=True,
)

CIRCULAR = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"


class TestIntrospectionInProduction:
    """Debug off, introspection switched on: the standard document passes every limit."""

    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"debug": False, "introspection": True}

    @pytest.mark.parametrize("query", [FULL_INTROSPECTION, EVERY_OPTION], ids=["brief", "all"])
    async def test_standard_introspection_passes(self, http: httpx.AsyncClient, query: str) -> None:
        body = (await http.post("/graphql", json={"query": query})).json()
        assert "errors" not in body, body.get("errors")
        names = {t["name"] for t in body["data"]["__schema"]["types"]}
        assert {"Query", "Mutation", "Offer", "Dossier"} <= names

    async def test_circular_introspection_is_refused(self, http: httpx.AsyncClient) -> None:
        body = (await http.post("/graphql", json={"query": CIRCULAR})).json()
        assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert "introspection depth" in body["errors"][0]["message"]

    async def test_depth_limit_still_holds_outside_introspection(
        self, http: httpx.AsyncClient
    ) -> None:
        deep = "{ " + "".join(f"a{i}: viewer {{ " for i in range(13)) + "id" + " }" * 13 + "}"
        body = (await http.post("/graphql", json={"query": deep})).json()
        assert "QUERY_TOO_DEEP" in codes(body)
