"""Failures the fuzzer found (tests/hardening/test_fuzz.py), kept as explicit regression tests.

The concurrent use of the read session (dashboardVisit's counts, offer next to
secretQuestion) is in tests/hardening/test_concurrent_resolvers.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL

NUL_MESSAGE = "Les textes ne peuvent pas contenir le caractère nul (U+0000)."


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"debug": False}


def only_code(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    code: str = error["extensions"]["code"]
    return code


async def test_a_nul_in_a_string_literal_is_bad_input(api: GraphQL) -> None:
    # Found on PostgreSQL: `{ offer(number: "\u0000") { id } }` reached the database, which
    # refuses NUL in text ("invalid byte sequence for encoding UTF8"): INTERNAL_SERVER_ERROR.
    body = await api.raw('{ offer(number: "\\u0000") { id } }')
    assert only_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == NUL_MESSAGE
    assert "data" not in body or body["data"] is None


async def test_a_nul_in_a_variable_is_bad_input(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    body = await api.raw(
        "query($n: String!) { offer(number: $n) { id } }", {"n": "12\x0034"}, candidate.token
    )
    assert only_code(body) == "BAD_USER_INPUT"


async def test_a_nul_deep_in_a_mutation_input_is_bad_input(api: GraphQL) -> None:
    body = await api.raw(
        "mutation($i: SessionCreateInput!) { sessionCreate(input: $i) { token } }",
        {"i": {"identifiant": "1234567H", "password": "a\x00b", "postalCode": "22200"}},
    )
    assert only_code(body) == "BAD_USER_INPUT"


async def test_text_without_nul_still_reaches_the_resolver(api: GraphQL) -> None:
    body = await api.raw('{ offer(number: "0000000") { id } }')
    assert body == {"data": {"offer": None}}
