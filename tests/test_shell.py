"""The app shell: health check, GraphQL endpoint, refusals with stable codes."""

from __future__ import annotations

import httpx


async def test_healthz_checks_database(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_typename_over_post_and_get(http: httpx.AsyncClient) -> None:
    post = await http.post("/graphql", json={"query": "{ __typename }"})
    assert post.json() == {"data": {"__typename": "Query"}}
    get = await http.get("/graphql", params={"query": "{ __typename }"})
    assert get.json() == {"data": {"__typename": "Query"}}
