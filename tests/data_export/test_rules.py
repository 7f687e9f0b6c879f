"""The rules of dataExportRequest: who may ask, one request in progress, a few a day; and
the background preparation across processes: each request is prepared once, and one whose
process died is taken over when its lease ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from ground.runtime import Runtime
from ground.settings import Settings
from models.data_export import DataExport
from models.letters import Letter
from refdata import ReferenceData
from resolvers.data_export.worker import ExportWorker, claim_next, prepare
from tests.conftest import LiveServer
from tests.data_export.support import download_link, exports, request_export
from tests.support.accounts import (
    account_row,
    confirmed_candidate,
    sign_up_candidate,
    sign_up_employer,
    write_session,
)
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import codes

EMAIL = "export.regles@example.org"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # No worker in the server: the test runs the workers of "other processes" itself.
    return {"data_export_worker_enabled": False, "data_export_daily_limit": 2}


@pytest.fixture
async def other_process(
    settings: Settings, reference_data: ReferenceData
) -> AsyncIterator[Runtime]:
    """A second runtime on the same database and files, as another server process has."""
    runtime = Runtime.create(settings, refdata=reference_data)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.close()


async def test_who_may_ask(server: LiveServer, api: GraphQL) -> None:
    # Without a session
    assert codes(await request_export(api, "")) == {None: "UNAUTHENTICATED"}
    # An employer
    employer = await sign_up_employer(api)
    assert codes(await request_export(api, employer.token)) == {None: "WRONG_ACCOUNT_KIND"}
    # A candidat without a confirmed address to send the link to
    candidat = await sign_up_candidate(api)
    payload = await request_export(api, candidat.token)
    assert codes(payload) == {None: "NO_EMAIL"}
    assert "confirmez d'abord l'adresse e-mail" in payload["userErrors"][0]["message"]
    assert await exports(api, candidat.token) == []


async def test_one_in_progress_a_few_a_day_each_prepared_once(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    other_process: Runtime,
) -> None:
    clock = server.runtime.clock
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    other_process.clock.set(clock.now())
    candidat = await confirmed_candidate(api, http, smtp, EMAIL)
    # Given a request waiting to be prepared
    assert (await request_export(api, candidat.token))["userErrors"] == []
    # Then a second one is refused while the first is in progress
    payload = await request_export(api, candidat.token)
    assert codes(payload) == {None: "EXPORT_IN_PROGRESS"}
    assert "déjà en préparation" in payload["userErrors"][0]["message"]

    # When the workers of two processes look for work at once
    done = await asyncio.gather(
        ExportWorker(server.runtime).run_once(), ExportWorker(other_process).run_once()
    )
    # Then one of them prepared it, once: one mail, one ready archive
    assert sorted(done) == [0, 1]
    [mail] = await smtp.wait_for(1, to=EMAIL, timeout=30)
    assert download_link(mail)
    assert [e["status"] for e in await exports(api, candidat.token)] == ["READY"]

    # When the candidat asks again the same day: a second one is accepted, a third is not
    assert (await request_export(api, candidat.token))["userErrors"] == []
    assert await ExportWorker(other_process).run_once() == 1
    payload = await request_export(api, candidat.token)
    assert codes(payload) == {None: "THROTTLED"}
    assert "réessayez le 02/12/2026 à 10 h 00" in payload["userErrors"][0]["message"]
    # And the next day, it is accepted again
    clock.advance(timedelta(hours=24))
    assert (await request_export(api, candidat.token))["userErrors"] == []


async def test_a_request_whose_process_died_is_taken_over(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    other_process: Runtime,
) -> None:
    clock = server.runtime.clock
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    candidat = await confirmed_candidate(api, http, smtp, EMAIL)
    assert (await request_export(api, candidat.token))["userErrors"] == []
    # Given a process that claimed the request, then stopped answering
    first = await claim_next(server.runtime)
    assert first is not None
    other_process.clock.set(clock.now() + timedelta(minutes=5))
    assert await claim_next(other_process) is None  # still held
    # When its lease has run out, another process takes it over and prepares it
    other_process.clock.set(clock.now() + timedelta(minutes=11))
    assert await ExportWorker(other_process).run_once() == 1
    # And the first process, coming back, does not announce a second archive
    await prepare(server.runtime, *first)
    [mail] = await smtp.wait_for(1, to=EMAIL, timeout=30)
    await asyncio.sleep(0.5)
    assert len(smtp.for_address(EMAIL)) == 1
    async with server.runtime.read_sessionmaker() as session:
        [row] = (await session.scalars(select(DataExport))).all()
    assert row.status == "ready" and row.attempts == 2
    response = await http.get(download_link(mail), headers=api.headers(candidat.token))
    assert response.status_code == 200
    # And only one archive was kept in the file storage
    stored = [p for p in server.settings.upload_dir.rglob("*") if p.is_file()]
    assert stored == []  # the downloaded archive was removed; the late one never kept


async def test_requests_at_once_queue_one(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat sending three requests at the same time (double clicks, two tabs)
    candidat = await confirmed_candidate(api, http, smtp, EMAIL)
    payloads = await asyncio.gather(*(request_export(api, candidat.token) for _ in range(3)))
    # Then one is queued and the others are told it is in progress
    accepted = [p for p in payloads if p["userErrors"] == []]
    assert len(accepted) == 1
    assert sorted(codes(p)[None] for p in payloads if p["userErrors"]) == [
        "EXPORT_IN_PROGRESS",
        "EXPORT_IN_PROGRESS",
    ]
    assert [e["status"] for e in await exports(api, candidat.token)] == ["PENDING"]


async def test_an_archive_that_cannot_be_built_is_retried_then_failed(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat whose letter cannot be rendered (its frozen facts are broken)
    candidat = await confirmed_candidate(api, http, smtp, EMAIL)
    account = await account_row(server, identifiant=candidat.identifiant)
    async with write_session(server) as session:
        session.add(Letter(account_id=account.id, kind="CONVOCATION", title="Convocation"))
    assert (await request_export(api, candidat.token))["userErrors"] == []
    # When the worker tries as many times as allowed
    worker = ExportWorker(server.runtime)
    for _ in range(server.settings.data_export_max_attempts):
        assert await worker.run_once() == 1
    # Then the request is failed, nothing more is tried, and no mail announced an archive
    assert await worker.run_once() == 0
    assert [e["status"] for e in await exports(api, candidat.token)] == ["FAILED"]
    assert smtp.for_address(EMAIL) == []
    # And the candidat may ask again
    assert (await request_export(api, candidat.token))["userErrors"] == []
