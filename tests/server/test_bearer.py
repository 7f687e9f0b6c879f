"""The bearer token as clients send it: over HTTP, the ``Bearer`` scheme in any case; over
WebSocket, every ``connection_init`` payload shape that graphql-ws clients and GraphiQL use."""

from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.ws import ws_connect

VIEWER = "query Me { viewer { kind } }"


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "bEaReR"])
async def test_http_accepts_the_bearer_scheme_in_any_case(api: GraphQL, scheme: str) -> None:
    candidate = await sign_up_candidate(api)
    response = await api.http.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": f"{scheme} {candidate.token}"}
    )
    assert response.json() == {"data": {"viewer": {"kind": "CANDIDAT"}}}


@pytest.mark.parametrize(
    "shape",
    [
        "Authorization",  # Apollo's GraphQLWsLink and urql docs
        "authorization",  # graphql-ws examples
        "headers.Authorization",  # GraphiQL sends its headers object
        "headers.authorization",
        "AUTHORIZATION",
    ],
)
@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
async def test_websocket_accepts_the_token_where_clients_put_it(
    api: GraphQL, server: LiveServer, shape: str, scheme: str
) -> None:
    candidate = await sign_up_candidate(api)
    value = f"{scheme} {candidate.token}"
    if shape.startswith("headers."):
        payload: dict[str, object] = {"headers": {shape.removeprefix("headers."): value}}
    else:
        payload = {shape: value}
    async with ws_connect(server) as ws:
        await ws.send({"type": "connection_init", "payload": payload})
        assert await ws.receive() == {"type": "connection_ack"}
        await ws.subscribe("q", VIEWER)
        assert await ws.next_data("q") == {"viewer": {"kind": "CANDIDAT"}}
