"""Tokens in URLs and bearer tokens are never stored as they are (issue 14 §6): after the
candidate's story (sign-in sessions, confirmation and report links, password reset links),
a scan of every text column of every table finds none of the tokens that were handed out,
while the links themselves still work once and only once (tests/identity, tests/dossiers)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import JSON, String, Text, func, select

from models.base import Base
from models.mail import MailStatus, OutboxMail
from tests.conftest import LiveServer
from tests.journeys import test_journey as journey
from tests.rights.test_logs_hold_no_personal_data import Wire, wire  # noqa: F401
from tests.support.client import GraphQL, MailCatcher


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # As in production: without debug, a sent mail's links lose their tokens in the outbox.
    return {"debug": False}


async def all_sent(server: LiveServer) -> None:
    """Wait until the outbox has sent every mail (the worker marks them after SMTP)."""
    stmt = select(func.count()).where(OutboxMail.status != MailStatus.SENT)
    for _ in range(100):
        async with server.runtime.sessionmaker() as session:
            if await session.scalar(stmt) == 0:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("mails left unsent")


async def stored_text(server: LiveServer) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text or JSON value in the database."""
    found = []
    async with server.runtime.sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in await session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        found.append((table.name, column.name, str(value)))
    return found


async def test_no_token_handed_out_is_stored_in_clear(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    wire: Wire,  # noqa: F811
) -> None:
    await journey.test_the_candidates_story(api, http, smtp)
    wire.mail_tokens(smtp)
    tokens = {s for s in wire.secrets if len(s) >= 20}  # link and bearer tokens, not passwords
    assert len(tokens) >= 5
    await all_sent(server)
    stored = await stored_text(server)
    # the outbox keeps the mails, their links spent
    assert any("/mot-de-passe/reinitialiser?token=envoye" in v for _, _, v in stored)
    leaks: list[Any] = sorted({(t, c) for t, c, v in stored for s in tokens if s in v})
    assert leaks == []
