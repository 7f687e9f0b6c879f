"""Operations: /metrics (Prometheus), request IDs and structured logs, /readyz."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import connect

from espace.app import create_app
from espace.logs import formatter
from espace.observability import Observability
from espace.runtime import Runtime
from espace.settings import Settings
from tests.accounts import sign_up_candidate
from tests.conftest import LiveServer, free_port
from tests.support import GraphQL
from tests.ws_support import PROTOCOL, eventually, ws_connect, ws_url

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


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the server logs, rendered by its JSON formatter as it is written."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def parsed(out: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in out.getvalue().splitlines() if line.strip()]


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


async def test_the_request_id_is_taken_checked_or_made_and_always_echoed(
    http: httpx.AsyncClient, server: LiveServer
) -> None:
    sent = await http.get("/healthz", headers={"X-Request-ID": "front-42.a:b"})
    assert sent.headers["x-request-id"] == "front-42.a:b"
    made = await http.post("/graphql", json={"query": PING})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    for unsafe in ("a" * 129, "bad id", "x\u00e9"):
        replaced = await http.get("/healthz", headers={"X-Request-ID": unsafe.encode()})
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"]), unsafe
    # an unknown path and a refused body get one too
    assert (await http.get("/nulle-part")).headers["x-request-id"]
    # and so does the WebSocket handshake
    async with connect(
        ws_url(server), subprotocols=[PROTOCOL], additional_headers={"X-Request-ID": "ws-7"}
    ) as ws:
        assert ws.response is not None
        assert ws.response.headers["x-request-id"] == "ws-7"


async def test_one_json_line_per_request_with_its_id_operation_outcome_and_duration(
    api: GraphQL, http: httpx.AsyncClient, json_lines: io.StringIO
) -> None:
    await http.post(
        "/graphql", json={"query": BAD_CURSOR}, headers={"X-Request-ID": "req-bad-cursor"}
    )
    lines = [line for line in parsed(json_lines) if line.get("request_id") == "req-bad-cursor"]
    request = [line for line in lines if line["event"] == "request"]
    assert len(request) == 1
    assert request[0]["operation"] == "Page"
    assert request[0]["outcome"] == "user_error"
    assert request[0]["status"] == 200
    assert request[0]["route"] == "/graphql"
    assert request[0]["level"] == "info"
    assert request[0]["duration_ms"] >= 0
    # the expected error is one short INFO line, without a traceback
    errors = [line for line in lines if line["logger"] == "espace.graphql"]
    assert len(errors) == 1
    assert errors[0]["level"] == "info"
    assert errors[0]["code"] == "BAD_CURSOR"
    assert "exception" not in errors[0]
    assert len(orjson.dumps(errors[0])) < 600


async def test_expected_errors_are_not_logged_as_errors(
    api: GraphQL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await api.post(UNKNOWN_FIELD)
    await api.post("{ announcements(first: 100000) { pageInfo { endCursor } } }")
    await api.post("query Syntax {")
    await api.post("query Var($n: Int!) { announcements(first: $n) { __typename } }", {"n": "x"})
    graphql = [r for r in caplog.records if r.name == "espace.graphql"]
    assert len(graphql) == 4
    assert all(r.levelno == logging.INFO and r.exc_info is None for r in graphql)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_unexpected_errors_keep_their_traceback(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    from graphql import GraphQLError

    schema = server.app.state.hub.schema
    bug = RuntimeError("a bug")
    schema.process_errors([GraphQLError("boom", original_error=bug)])
    [record] = [r for r in caplog.records if r.name == "espace.graphql"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[1] is bug


async def test_an_unhandled_exception_is_a_500_with_a_code_and_the_request_id(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("a bug")

    runtime = Runtime.create(settings)
    app = Observability(broken, runtime=runtime)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://espace") as client:
            answer = await client.get("/graphql", headers={"X-Request-ID": "bug-1"})
    finally:
        await runtime.engine.dispose()
    assert answer.status_code == 500
    assert answer.headers["x-request-id"] == "bug-1"
    assert answer.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert isinstance(record.exc_info[1], RuntimeError)  # type: ignore[index]


def test_the_console_format_is_one_readable_line() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter("console"))
    logger = logging.getLogger("espace.test-console")
    logger.addHandler(handler)
    try:
        logger.warning("request", extra={"route": "/graphql", "status": 200})
    finally:
        logger.removeHandler(handler)
    line = out.getvalue()
    assert line.count("\n") == 1
    assert "request" in line and "route=/graphql" in line and "status=200" in line


def test_secrets_and_emails_never_reach_a_line() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter("json"))
    logger = logging.getLogger("espace.test-redaction")
    logger.addHandler(handler)
    try:
        logger.warning(
            "mail to jean.dupont@example.fr failed",
            extra={"password": "hunter2", "token": "abc", "to": "marie@example.org"},
        )
    finally:
        logger.removeHandler(handler)
    line = orjson.loads(out.getvalue())
    assert line["event"] == "mail to j***@example.fr failed"
    assert line["password"] == line["token"] == "[redacted]"
    assert line["to"] == "m***@example.org"


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
