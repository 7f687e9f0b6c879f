"""Logs: X-Request-ID on every answer, one structured line per request, expected GraphQL
errors as one INFO line without a traceback, secrets never written."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect

from espace.logs import formatter
from espace.observability import Observability
from ground.runtime import Runtime
from ground.settings import Settings
from tests.conftest import LiveServer
from tests.support.client import GraphQL
from tests.support.ws import PROTOCOL, ws_url

PING = "query Ping { __typename }"
UNKNOWN_FIELD = "query Broken { nope }"
BAD_CURSOR = 'query Page { announcements(after: "pas-un-curseur") { pageInfo { endCursor } } }'


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
