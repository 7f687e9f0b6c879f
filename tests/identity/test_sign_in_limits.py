"""Sign-in attempts limited per client address and overall: password spraying (one client,
one password, many identifiants, several per request) is refused with THROTTLED while
another client signs in as usual."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from resolvers.identity.identifiant import check_letter
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL

ATTACKER = ("203.0.113.5", 40000)
NEIGHBOUR = ("198.51.100.7", 40001)
SPRAYED = "Printemps2024!"
PER_REQUEST = 15


def spray_document(first: int) -> str:
    """One request trying one password on 15 identifiants (aliases)."""
    fields = []
    for n in range(first, first + PER_REQUEST):
        digits = f"{n:07d}"
        ident = digits + check_letter(digits)
        fields.append(
            f'a{n}: sessionCreate(input: {{identifiant: "{ident}", postalCode: "22200", '
            f'password: "{SPRAYED}"}}) {{ token userErrors {{ code message }} }}'
        )
    return "mutation {\n" + "\n".join(fields) + "\n}"


@asynccontextmanager
async def client_at(server: LiveServer, address: tuple[str, int]) -> AsyncIterator[GraphQL]:
    """A client with its own address, as the ASGI scope gives it to the app."""
    transport = httpx.ASGITransport(app=server.app, client=address)
    async with httpx.AsyncClient(transport=transport, base_url="http://espace.test") as http:
        yield GraphQL(http)


async def spray(api: GraphQL, requests: int, start: int = 1000) -> list[dict[str, Any]]:
    payloads: list[dict[str, Any]] = []
    for r in range(requests):
        data = await api(spray_document(start + r * PER_REQUEST))
        payloads.extend(data.values())
    return payloads


def codes(payloads: list[dict[str, Any]]) -> list[str]:
    return [p["userErrors"][0]["code"] for p in payloads]


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"login_client_limit": "20/minute;100/hour", "login_global_limit": "1000/minute"}


async def test_password_spraying_is_refused_per_client(server: LiveServer, api: GraphQL) -> None:
    # Given a candidat who will sign in from another address
    candidate = await sign_up_candidate(api)

    # When one client tries one password on 45 identifiants, 15 per request
    async with client_at(server, ATTACKER) as attacker:
        payloads = await spray(attacker, 3)

    # Then the first 20 attempts are checked, the others refused with THROTTLED
    found = codes(payloads)
    assert found[:20] == ["INVALID_CREDENTIALS"] * 20
    assert found[20:] == ["THROTTLED"] * 25
    assert all(p["token"] is None for p in payloads)
    message = payloads[-1]["userErrors"][0]["message"]
    assert message.startswith("Trop de tentatives de connexion depuis votre adresse.")
    assert "Réessayez dans" in message

    # And another client is not affected
    async with client_at(server, NEIGHBOUR) as neighbour:
        data = await neighbour(
            "mutation($i: String!, $p: String!) { sessionCreate(input: {identifiant: $i, "
            'postalCode: "22200", password: $p}) { token userErrors { code } } }',
            {"i": candidate.identifiant, "p": candidate.password},
        )
    assert data["sessionCreate"]["userErrors"] == []
    assert data["sessionCreate"]["token"]


async def test_a_spoofed_forwarded_for_does_not_help(server: LiveServer, api: GraphQL) -> None:
    # Without trusted proxies, X-Forwarded-For is ignored: the peer address counts.
    await spray(api, 1)
    api.http.headers["X-Forwarded-For"] = "192.0.2.44"
    assert set(codes(await spray(api, 1, start=3000))) == {"INVALID_CREDENTIALS", "THROTTLED"}
    assert codes(await spray(api, 1, start=4000)) == ["THROTTLED"] * PER_REQUEST


class TestTrustedProxy:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"login_client_limit": "15/minute", "trusted_proxies": ["127.0.0.1"]}

    async def test_the_client_behind_a_trusted_proxy_counts(self, api: GraphQL) -> None:
        # Given requests through a trusted proxy (the test client, 127.0.0.1)
        api.http.headers["X-Forwarded-For"] = "192.0.2.10"
        assert codes(await spray(api, 1)) == ["INVALID_CREDENTIALS"] * PER_REQUEST
        assert codes(await spray(api, 1, start=3000)) == ["THROTTLED"] * PER_REQUEST

        # Then another address forwarded by the same proxy is a different client
        api.http.headers["X-Forwarded-For"] = "192.0.2.20"
        assert codes(await spray(api, 1, start=5000)) == ["INVALID_CREDENTIALS"] * PER_REQUEST


class TestServiceLimit:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"login_client_limit": "100/minute", "login_global_limit": "20/minute"}

    async def test_all_clients_together_are_limited(self, server: LiveServer) -> None:
        async with client_at(server, ATTACKER) as one, client_at(server, NEIGHBOUR) as two:
            first = codes(await spray(one, 1))
            second = codes(await spray(two, 1, start=3000))
        assert first == ["INVALID_CREDENTIALS"] * PER_REQUEST
        assert second.count("INVALID_CREDENTIALS") == 5
        assert second.count("THROTTLED") == 10


@pytest.mark.redis
class TestAcrossProcesses:
    @pytest.fixture
    def settings_overrides(self, redis_url: str, redis_prefix: str) -> dict[str, Any]:
        return {
            "login_client_limit": "15/minute",
            "redis_url": redis_url,
            "redis_prefix": redis_prefix,
        }

    async def test_the_limit_is_shared_through_redis(self, server: LiveServer) -> None:
        # Given a second process on the same Redis
        other = LiveServer(server.settings.model_copy(update={"public_url": "http://x"}))
        await other.start()
        try:
            # When the client spends its attempts on the first process
            async with client_at(server, ATTACKER) as first:
                assert codes(await spray(first, 1)) == ["INVALID_CREDENTIALS"] * PER_REQUEST
            # Then the second refuses it too
            async with client_at(other, ATTACKER) as second:
                assert codes(await spray(second, 1, start=3000)) == ["THROTTLED"] * PER_REQUEST
        finally:
            await other.stop()
