"""Sign-in throttling: growing delays after 5 failures, 10 failures an hour at most."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from models.identity import LoginFailure
from tests.conftest import LiveServer
from tests.support.accounts import sign_in, sign_in_candidate, sign_up_candidate, write_session
from tests.support.client import GraphQL

WRONG = "not the password!"
SESSION_CREATE_FIELD = """
  a{n}: sessionCreate(
    input: {{identifiant: $identifiant, postalCode: "22200", password: ${var}}}
  ) {{ token userErrors {{ code message }} }}
"""


async def fail(api: GraphQL, identifiant: str, times: int) -> list[str]:
    codes = []
    for _ in range(times):
        payload = await sign_in_candidate(api, identifiant, WRONG, "22200")
        codes.append(payload["userErrors"][0]["code"])
    return codes


async def failures(server: LiveServer, key: str) -> int:
    async with server.runtime.sessionmaker() as session:
        count = await session.scalar(
            select(func.count(LoginFailure.id)).where(LoginFailure.key == key)
        )
    return count or 0


async def age_failures(server: LiveServer, key: str, by: timedelta, oldest_only: bool) -> None:
    """Move failures back in time (the clock of the test)."""
    async with write_session(server) as session:
        rows = (
            await session.scalars(
                select(LoginFailure).where(LoginFailure.key == key).order_by(LoginFailure.at)
            )
        ).all()
        for row in rows[:1] if oldest_only else rows:
            row.at -= by


async def test_after_five_failures_the_next_attempt_waits(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    # given 5 failed attempts (recorded although each answered an error)
    assert await fail(api, candidate.identifiant, 5) == ["INVALID_CREDENTIALS"] * 5
    assert await failures(server, candidate.identifiant) == 5
    # when the right password comes at once, it is refused: wait 2^0 = 1 second
    payload = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert payload["token"] is None
    [error] = payload["userErrors"]
    assert error["code"] == "THROTTLED"
    assert "Réessayez dans 1 seconde." in error["message"]
    # then, a second later, it works, and the failures are forgotten
    await asyncio.sleep(1.05)
    payload = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert payload["userErrors"] == []
    assert await failures(server, candidate.identifiant) == 0


async def test_delay_doubles_with_each_failure(api: GraphQL, server: LiveServer) -> None:
    candidate = await sign_up_candidate(api)
    await fail(api, candidate.identifiant, 5)
    await age_failures(server, candidate.identifiant, timedelta(seconds=5), oldest_only=False)
    # the 6th failure makes the next attempt wait 2 seconds, the 7th 4 seconds
    assert await fail(api, candidate.identifiant, 2) == ["INVALID_CREDENTIALS", "THROTTLED"]
    payload = await sign_in_candidate(api, candidate.identifiant, WRONG, "22200")
    assert "Réessayez dans 2 secondes." in payload["userErrors"][0]["message"]
    await age_failures(server, candidate.identifiant, timedelta(seconds=5), oldest_only=False)
    await fail(api, candidate.identifiant, 1)
    payload = await sign_in_candidate(api, candidate.identifiant, WRONG, "22200")
    assert "Réessayez dans 4 secondes." in payload["userErrors"][0]["message"]


@pytest.mark.parametrize("settings_overrides", [{"login_delay_after_failures": 100}])
async def test_ten_failures_an_hour_then_wait_for_the_oldest_to_age_out(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    # given 10 failures within the hour (no growing delay in this test)
    assert await fail(api, candidate.identifiant, 10) == ["INVALID_CREDENTIALS"] * 10
    # then even the right password is refused, for about an hour
    payload = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert payload["userErrors"][0]["code"] == "THROTTLED"
    assert "Réessayez dans 1 heure." in payload["userErrors"][0]["message"]
    # when the oldest failure is 58 minutes old, the wait is about two minutes
    await age_failures(server, candidate.identifiant, timedelta(minutes=58), oldest_only=True)
    payload = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert "Réessayez dans 2 minutes." in payload["userErrors"][0]["message"]
    # and once it is over an hour old, the owner gets in again
    await age_failures(server, candidate.identifiant, timedelta(minutes=3), oldest_only=True)
    payload = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert payload["userErrors"] == []


async def test_unknown_identifiants_are_throttled_like_known_ones(api: GraphQL) -> None:
    assert await fail(api, "1234567H", 6) == ["INVALID_CREDENTIALS"] * 5 + ["THROTTLED"]


async def test_e_mail_sign_in_is_throttled_by_address(api: GraphQL) -> None:
    codes = []
    for _ in range(6):
        payload = await sign_in(api, email="Quelqu.Un@example.org", password=WRONG)
        codes.append(payload["userErrors"][0]["code"])
    assert codes == ["INVALID_CREDENTIALS"] * 5 + ["THROTTLED"]
    # the key is the address as typed, in any case
    payload = await sign_in(api, email="quelqu.un@EXAMPLE.org", password=WRONG)
    assert payload["userErrors"][0]["code"] == "THROTTLED"


async def test_a_success_clears_the_failures(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    await fail(api, candidate.identifiant, 4)
    ok = await sign_in_candidate(api, candidate.identifiant, candidate.password, "22200")
    assert ok["userErrors"] == []
    assert await fail(api, candidate.identifiant, 5) == ["INVALID_CREDENTIALS"] * 5


@pytest.mark.parametrize("settings_overrides", [{"max_aliases": 200, "max_tokens": 20000}])
async def test_aliased_attempts_in_one_document_count_one_by_one(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    # when one document tries 99 wrong passwords and then the right one
    fields = [SESSION_CREATE_FIELD.format(n=n, var="wrong") for n in range(99)]
    fields.append(SESSION_CREATE_FIELD.format(n=99, var="right"))
    document = (
        "mutation ($identifiant: String!, $wrong: String!, $right: String!) {"
        + "".join(fields)
        + "}"
    )
    variables: dict[str, Any] = {
        "identifiant": candidate.identifiant,
        "wrong": WRONG,
        "right": candidate.password,
    }
    data = await api(document, variables)
    # then only 5 were tried; the rest, the right one included, were throttled
    codes = [data[f"a{n}"]["userErrors"][0]["code"] for n in range(100)]
    assert codes == ["INVALID_CREDENTIALS"] * 5 + ["THROTTLED"] * 95
    assert data["a99"]["token"] is None
    assert await failures(server, candidate.identifiant) == 5
