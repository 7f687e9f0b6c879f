"""Browser apps on other origins: CORS over HTTP and the WebSocket Origin check share
``ESPACE_ALLOWED_ORIGINS``; the demo allows the usual dev servers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from espace.cli.demo import DEV_ORIGINS, demo_origins
from ground.settings import Settings
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.ws import ws_connect

APP = "https://app.espace.example"
EVIL = "https://evil.example"
TYPENAME = {"query": "{ __typename }"}
# What a browser sends before a POST with a token, JSON and the upload preflight header.
PREFLIGHT_HEADERS = "authorization, content-type, graphql-require-preflight, x-request-id"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"allowed_origins": [APP, "HTTP://Localhost:5173/"]}


def preflight(origin: str, headers: str = PREFLIGHT_HEADERS) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": headers,
    }


async def test_a_preflight_from_an_allowed_origin_allows_the_token_and_json(
    http: httpx.AsyncClient,
) -> None:
    # given an allowed origin, when its page asks before a POST with a token
    response = await http.options("/graphql", headers=preflight(APP))
    # then the preflight passes and names the origin, the method and every header asked for
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {"authorization", "content-type", "graphql-require-preflight", "x-request-id"} <= allowed
    assert {"apollo-require-preflight", "accept"} <= allowed
    assert "access-control-allow-credentials" not in response.headers


async def test_an_allowed_origin_reads_the_answer(api: GraphQL, http: httpx.AsyncClient) -> None:
    candidate = await sign_up_candidate(api)
    # the listed origin is matched as browsers spell it (lower case, no trailing slash)
    for origin in (APP, "http://localhost:5173"):
        response = await http.post(
            "/graphql",
            json={"query": "{ viewer { kind } }"},
            headers={"Origin": origin, "Authorization": f"Bearer {candidate.token}"},
        )
        assert response.json() == {"data": {"viewer": {"kind": "CANDIDAT"}}}
        assert response.headers["access-control-allow-origin"] == origin
        assert "origin" in response.headers["vary"].lower()


async def test_an_unlisted_origin_gets_no_allow_origin(http: httpx.AsyncClient) -> None:
    refused = await http.options("/graphql", headers=preflight(EVIL))
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    # a simple request still runs (as without CORS) but the browser keeps it from the page
    response = await http.post("/graphql", json=TYPENAME, headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in response.headers


async def test_an_unlisted_header_is_refused_at_preflight(http: httpx.AsyncClient) -> None:
    response = await http.options("/graphql", headers=preflight(APP, "x-secret-header"))
    assert response.status_code == 400


async def test_refusals_carry_the_cors_headers_too(http: httpx.AsyncClient) -> None:
    # a page can read why its request was refused (here: a body over the limit)
    response = await http.post(
        "/graphql",
        json={"query": "{ __typename }", "variables": {"p": "x" * (1024 * 1024 + 1)}},
        headers={"Origin": APP},
    )
    assert response.status_code == 413
    assert response.headers["access-control-allow-origin"] == APP


async def test_websockets_use_the_same_list_and_the_server_s_own_origin(
    api: GraphQL, server: LiveServer
) -> None:
    candidate = await sign_up_candidate(api)
    # the allowed app and the server's own origin (GraphiQL's page) may open a socket
    for origin in (APP, server.url):
        async with ws_connect(server, origin=origin) as ws:
            await ws.init(candidate.token)


class TestEmptyList:
    """Without an allowlist, no origin gets cross-origin access over HTTP."""

    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {}

    async def test_no_origin_is_allowed(self, http: httpx.AsyncClient) -> None:
        refused = await http.options("/graphql", headers=preflight(APP))
        assert "access-control-allow-origin" not in refused.headers
        response = await http.post("/graphql", json=TYPENAME, headers={"Origin": APP})
        assert response.json() == {"data": {"__typename": "Query"}}
        assert "access-control-allow-origin" not in response.headers


class TestDemo:
    """``espace demo`` allows Vite's and Create React App's dev servers."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return demo_origins(settings)

    def test_the_dev_servers_are_added_to_the_list(self, settings: Settings) -> None:
        assert set(DEV_ORIGINS) <= set(settings.allowed_origins)
        assert APP in settings.allowed_origins  # what the environment set is kept

    @pytest.mark.parametrize("origin", DEV_ORIGINS)
    async def test_a_dev_server_passes_the_preflight(
        self, http: httpx.AsyncClient, origin: str
    ) -> None:
        response = await http.options("/graphql", headers=preflight(origin))
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == origin
