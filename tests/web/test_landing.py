"""The site root: a small French page with the links that are switched on."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


async def test_the_root_says_what_the_service_is(http: httpx.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    html = response.text
    assert '<html lang="fr">' in html
    assert "l'API de l'espace personnel des demandeurs d'emploi" in html
    assert "graphql-transport-ws" in html
    # GraphiQL, its docs, the mails of the debug server and the health check, all working
    assert links(html) == ["/graphql", "/graphql#docs", "/dev/mails", "/healthz"]
    for href in links(html):
        followed = await http.get(href.split("#")[0], headers={"Accept": "text/html"})
        assert followed.status_code == 200, href


class TestProduction:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, Any]:
        return {"debug": False, "graphiql": False}

    async def test_no_link_to_what_is_off(self, http: httpx.AsyncClient) -> None:
        html = (await http.get("/")).text
        assert links(html) == ["/healthz"]
        assert "GraphiQL est désactivé" in html
        assert "graphql/schema.graphql" in html
