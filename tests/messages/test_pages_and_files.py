"""Messages: lists paginated and batched, PDF attachments uploaded, checked and downloaded."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from strawberry import relay

from tests.conftest import POSTGRES_ON, LiveServer, _truncate_all, free_port
from tests.messages.test_employers_and_site import employer_and_application
from tests.messages.test_messages import (
    MESSAGES_PAGE,
    RECEIVED,
    SEND,
    SEND_WITH_FILES,
    START,
    candidat_at,
    inbox,
    titles,
)
from tests.server.test_scale_out import Cluster, LiveServerAddress, _espace_serve, _wait_healthy
from tests.support.agencies import adviser_at
from tests.support.applications import (
    until_listening,
)
from tests.support.client import GraphQL, MailCatcher
from tests.support.cvs import tiny_pdf
from tests.support.indemnisation import mutate, two_agencies
from tests.support.ws import subscribed


async def test_lists_are_paginated_and_batched(server: LiveServer, api: GraphQL) -> None:
    # Given an adviser's agency with three candidats' conversations of several messages
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    first_id = ""
    for n in range(3):
        candidat = await candidat_at(api, agencies["GUI01"])
        started = await mutate(api, START, candidat, kind="ADVISER", title=f"Sujet {n}", body="1")
        first_id = first_id or started["conversation"]["id"]
        for body in ("2", "3"):
            await mutate(
                api, SEND, candidat, conversationId=started["conversation"]["id"], body=body
            )
    # When the adviser lists one, then all three, with messages, authors and attachments
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "outbox_mails" not in statement and not statement.startswith("BEGIN"):
            statements.append(statement)  # (the mail worker runs alongside)

    engine = server.runtime.engine.sync_engine
    await inbox(api, adviser, first=1)  # the token seen: its check is cached for both
    event.listen(engine, "before_cursor_execute", count)
    try:
        await inbox(api, adviser, first=1)
        for_one = len(statements)
        statements.clear()
        viewer = await inbox(api, adviser)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # Then newest activity first, with as many queries for three as for one (no N+1)
    assert titles(viewer) == ["Sujet 2", "Sujet 1", "Sujet 0"]
    assert viewer["dashboard"]["unreadMessages"] == 9
    assert len(statements) == for_one, statements
    assert sum("FROM message_attachments" in s for s in statements) == 1
    # And pages follow each other by cursor, in lists and in a conversation
    page = (await inbox(api, adviser, first=2))["conversations"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await inbox(api, adviser, first=2, after=page["pageInfo"]["endCursor"])
    assert titles(rest) == ["Sujet 0"]
    older = (await api(MESSAGES_PAGE, {"id": first_id, "first": 2}, token=adviser))["node"]
    assert [e["node"]["body"] for e in older["messages"]["edges"]] == ["3", "2"]
    cursor = older["messages"]["pageInfo"]["endCursor"]
    last = (await api(MESSAGES_PAGE, {"id": first_id, "after": cursor}, token=adviser))["node"]
    assert [e["node"]["body"] for e in last["messages"]["edges"]] == ["1"]
    assert relay.GlobalID.from_id(first_id).type_name == "Conversation"


async def send_files(
    http: httpx.AsyncClient,
    token: str,
    conversation_id: str,
    files: list[tuple[str, bytes]],
) -> dict[str, Any]:
    """messageSend as a GraphQL multipart request, one file per ``attachments`` item."""
    variables = {
        "input": {"conversationId": conversation_id, "body": "Ci-joint.", "attachments": None}
    }
    variables["input"]["attachments"] = [None] * len(files)
    response = await http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": SEND_WITH_FILES, "variables": variables}),
            "map": json.dumps(
                {str(n): [f"variables.input.attachments.{n}"] for n in range(len(files))}
            ),
        },
        files={str(n): (name, data, "application/pdf") for n, (name, data) in enumerate(files)},
        headers={"Authorization": f"Bearer {token}", "GraphQL-Require-Preflight": "1"},
    )
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()["data"]["messageSend"]
    return payload


async def test_pdf_attachments_are_sent_and_downloaded_by_readers_only(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient
) -> None:
    # Given a candidat's conversation with their agency
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    candidat = await candidat_at(api, agencies["GUI01"])
    started = await mutate(api, START, candidat, kind="ADVISER", body="Mes justificatifs")
    conversation_id = started["conversation"]["id"]
    # When the candidat sends two PDFs
    pdf = tiny_pdf("attestation")
    sent = await send_files(
        http, candidat, conversation_id, [("attestation.pdf", pdf), ("../../bulletin", pdf)]
    )
    # Then they are attached, named safely
    assert sent["userErrors"] == []
    files = sent["message"]["attachments"]
    assert [(f["name"], f["size"], f["contentType"]) for f in files] == [
        ("attestation.pdf", len(pdf), "application/pdf"),
        ("bulletin.pdf", len(pdf), "application/pdf"),
    ]
    # And the agency's adviser downloads them; another agency's adviser gets 404
    url = files[0]["url"].removeprefix(server.url)
    got = await http.get(url, headers={"Authorization": f"Bearer {adviser}"})
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-disposition"].startswith("attachment;")
    hidden = await http.get(url, headers={"Authorization": f"Bearer {brest}"})
    assert hidden.status_code == 404
    assert (await http.get(url)).status_code == 401
    # But anything other than a PDF is refused, with the whole message
    refused = await send_files(
        http, candidat, conversation_id, [("ok.pdf", pdf), ("faux.pdf", b"MZ not a pdf")]
    )
    assert refused["userErrors"] == [{"field": "attachments.1", "code": "NOT_PDF"}]
    assert refused["message"] is None
    viewer = await inbox(api, adviser)
    messages = viewer["conversations"]["edges"][0]["node"]["messages"]["edges"]
    assert [len(e["node"]["attachments"]) for e in messages] == [2, 0]
    # And the other agency's adviser cannot send files there either
    sneaky = await send_files(http, brest, conversation_id, [("x.pdf", pdf)])
    assert sneaky["userErrors"] == [{"field": "conversationId", "code": "NOT_FOUND"}]


@pytest.fixture
def shared_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The run's PostgreSQL database, emptied after the test."""
    if not POSTGRES_ON:
        pytest.skip("set ESPACE_TEST_POSTGRES=1")
    url: str = request.getfixturevalue("postgres_database")
    yield url
    _truncate_all(url)


@pytest.fixture
async def cluster(
    shared_database: str, redis_url: str, redis_prefix: str, smtp: MailCatcher
) -> AsyncIterator[Cluster]:
    """Servers sharing one PostgreSQL database and one Redis."""
    shared = Cluster(shared_database, smtp.port, redis_url, redis_prefix)
    async with shared.stack:
        yield shared


@pytest.mark.redis
@pytest.mark.postgres
async def test_a_reply_through_one_process_reaches_the_employer_on_another(
    cluster: Cluster, tmp_path: Path
) -> None:
    # Given this process (A) and `espace serve --workers 2` on the same PostgreSQL and Redis
    a, api_a = await cluster.server()
    port = free_port()
    log = tmp_path / "serve.log"
    serve = await _espace_serve(cluster, port, log)
    try:
        await _wait_healthy(port, serve, log)
        served = LiveServerAddress(f"http://127.0.0.1:{port}")
        # And an employer who wrote to a candidat about their application
        who, employer, application_id = await employer_and_application(a, api_a)
        started = await mutate(
            api_a, START, employer, kind="EMPLOYER", subjectId=application_id, body="Disponible ?"
        )
        conversation_id = started["conversation"]["id"]
        # When both follow messageReceived on the other process, and the candidat replies
        # through A
        async with (
            subscribed(served, employer, RECEIVED) as employer_ws,
            subscribed(served, who.candidate.token, RECEIVED) as candidat_ws,
        ):
            await until_listening(employer_ws)
            await until_listening(candidat_ws)
            reply = await mutate(
                api_a, SEND, who.candidate.token, conversationId=conversation_id, body="Oui !"
            )
            assert reply["userErrors"] == []
            # Then the employer's subscription receives the reply, and only the employer's
            got = (await employer_ws.next_data("1"))["messageReceived"]
            assert (got["body"], got["authorKind"], got["read"]) == ("Oui !", "CANDIDAT", False)
            assert got["conversation"]["id"] == conversation_id
            await candidat_ws.nothing_for(0.5)
    finally:
        serve.terminate()
        try:
            await asyncio.wait_for(serve.wait(), 15)
        except TimeoutError:
            serve.kill()
            await serve.wait()
