"""Operations: /metrics (Prometheus) and /readyz (logs: tests/ops/test_logs.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from espace.app import create_app
from ground.runtime import Runtime
from ground.settings import Settings
from tests.conftest import LiveServer, free_port
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.ws import eventually, ws_connect

PING = "query Ping { __typename }"
UNKNOWN_FIELD = "query Broken { nope }"
BAD_CURSOR = 'query Page { announcements(after: "pas-un-curseur") { pageInfo { endCursor } } }'
WRONG_PASSWORD = """
mutation SignIn($input: SessionCreateInput!) {
  sessionCreate(input: $input) { token userErrors { code } }
}
"""
BAD_ID = 'query BadId { node(id: "") { id } }'
DASHBOARD_EVENTS = "subscription Live { dashboardEvents { id kind } }"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition text, by name and labels."""
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def scrape(http: httpx.AsyncClient, **headers: str) -> dict[Any, float]:
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


async def test_metrics_count_graphql_requests_by_operation_and_outcome(
    api: GraphQL, http: httpx.AsyncClient
) -> None:
    before = await scrape(http)
    # given one request of each outcome (and two of the first)
    assert await api(PING) == {"__typename": "Query"}
    assert await api(PING) == {"__typename": "Query"}
    assert (await api.post(UNKNOWN_FIELD)).json()["errors"][0]["extensions"]["code"] == (
        "GRAPHQL_VALIDATION_FAILED"
    )
    body = await api.raw(BAD_CURSOR)
    assert body["errors"][0]["extensions"]["code"] == "BAD_CURSOR"
    assert (await api.raw(BAD_ID))["errors"][0]["extensions"]["code"] == "INVALID_ID"
    signed = await api(
        WRONG_PASSWORD,
        {"input": {"identifiant": "9999999Z", "password": "nope", "postalCode": "22200"}},
    )
    assert signed["sessionCreate"]["userErrors"]
    not_json = await http.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    # when the metrics are scraped
    after = await scrape(http)

    def moved(operation: str, outcome: str) -> float:
        name = "espace_graphql_requests_total"
        return value(after, name, operation=operation, outcome=outcome) - value(
            before, name, operation=operation, outcome=outcome
        )

    # then each request is counted once under its operation and outcome
    assert moved("Ping", "ok") == 2
    assert moved("Broken", "refused") == 1
    assert moved("Page", "user_error") == 1
    assert moved("BadId", "user_error") == 1
    assert moved("SignIn", "user_error") == 1
    assert moved("anonymous", "refused") == 1  # the body that is not JSON
    # with latency histograms, per operation and per route
    assert value(after, "espace_graphql_request_duration_seconds_count", operation="Ping") >= 2
    assert (
        value(after, "espace_http_request_duration_seconds_bucket", route="/graphql", le="+Inf")
        >= 6
    )
    assert value(after, "espace_http_requests_total", route="/graphql", method="POST", status="200")
    # the outbox by status, read from the database, and the pool
    assert ("espace_outbox_mails", frozenset({("status", "pending")})) in after
    assert ("espace_outbox_mails", frozenset({("status", "dead")})) in after
    assert ("espace_db_pool_connections_in_use", frozenset()) in after


async def test_open_sockets_and_subscriptions_are_gauges(
    api: GraphQL, server: LiveServer, http: httpx.AsyncClient
) -> None:
    candidate = await sign_up_candidate(api)
    async with ws_connect(server) as ws:
        await ws.init(candidate.token)
        await ws.subscribe("1", DASHBOARD_EVENTS)
        await eventually(lambda: sum(len(c.ops) for c in server.app.state.hub.connections) == 1)
        during = await scrape(http)
        assert value(during, "espace_websocket_connections") == 1
        assert value(during, "espace_websocket_subscriptions") == 1
    await eventually(lambda: not server.app.state.hub.connections)
    after = await scrape(http)
    assert value(after, "espace_websocket_connections") == 0
    assert value(after, "espace_websocket_subscriptions") == 0


@pytest.mark.parametrize("settings_overrides", [{"metrics_token": "s3cret-metrics"}])
async def test_a_metrics_token_protects_the_endpoint(http: httpx.AsyncClient) -> None:
    refused = await http.get("/metrics")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == (
        401
    )
    await scrape(http, Authorization="Bearer s3cret-metrics")


@pytest.mark.parametrize("settings_overrides", [{"metrics_enabled": False}])
async def test_metrics_can_be_switched_off(http: httpx.AsyncClient) -> None:
    assert (await http.get("/metrics")).status_code == 404


async def test_readyz_answers_when_the_database_does(http: httpx.AsyncClient) -> None:
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert (await http.get("/healthz")).status_code == 200


async def test_readyz_is_503_and_names_redis_when_redis_does_not_answer(
    settings: Settings,
) -> None:
    closed = free_port()  # nothing listens there
    broken = settings.model_copy(
        update={"redis_url": f"redis://127.0.0.1:{closed}/0", "readiness_timeout": 1.0}
    )
    runtime = Runtime.create(broken)
    app = create_app(broken, runtime)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://espace") as client:
            answer = await client.get("/readyz")
    finally:
        await runtime.broker.close()
        await runtime.engine.dispose()
    assert answer.status_code == 503
    assert answer.json() == {
        "status": "error",
        "checks": {"database": "ok", "redis": "error"},
        "failed": ["redis"],
    }


async def test_readyz_is_503_when_the_database_does_not_answer(
    settings: Settings, tmp_path: Any
) -> None:
    missing = settings.model_copy(
        update={"database_url": "postgresql+asyncpg://nobody@127.0.0.1:1/none"}
    )
    runtime = Runtime.create(missing)
    app = create_app(missing, runtime)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://espace") as client:
            answer = await client.get("/readyz")
    finally:
        await runtime.engine.dispose()
    assert answer.status_code == 503
    assert answer.json()["failed"] == ["database"]
