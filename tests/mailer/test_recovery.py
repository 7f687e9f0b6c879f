"""Crash recovery of the outbox: a short lease, renewed while a batch is sent.

A process that dies holding mails leaves them claimed; another process sends them once the
lease runs out (about a minute in production, ESPACE_OUTBOX_LEASE_SECONDS = 30; a second
here). A mail sent but not yet recorded is sent again with the same Message-ID. A slow batch
keeps its lease, so a healthy worker's mails are not sent twice.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from ground.db import begin_write
from ground.runtime import Runtime
from mailer import outbox
from mailer.smtp import deliver
from models.base import utcnow
from models.mail import MailStatus
from tests.conftest import LiveServer
from tests.mailer.test_mailer import confirm_url, outbox_rows, template_mailer, wait_rows
from tests.support.client import MailCatcher

LEASE = 1.5


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"outbox_lease_seconds": LEASE, "outbox_batch_size": 5}


async def test_mails_held_by_a_dead_process_are_sent_by_another_with_their_message_id(
    server: LiveServer, smtp: MailCatcher
) -> None:
    # Given a process that wrote three mails, claimed them, sent them over SMTP, and died
    # before it could record that they were sent
    mailer = template_mailer(server.settings, server.runtime)
    context = {"name": "Zoé", "confirm_url": confirm_url(server.settings, 0)}
    recipients = [f"reprise{n}@example.org" for n in range(3)]
    async with server.runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        for to in recipients:
            await mailer.enqueue(session, to=to, template="bonjour", context=context)
        await session.flush()
        now = utcnow()
        held = await outbox.claim(
            session,
            now=now,
            lease_until=now + mailer.lease,
            limit=10,
        )
    died_at = time.monotonic()
    async for _mail, failure in deliver(server.settings, list(held)):
        assert failure is None
    assert len(smtp.messages) == 3

    # When the lease runs out, the live process claims them again and sends them
    await smtp.wait_for(6, timeout=LEASE + 10)
    waited = time.monotonic() - died_at
    rows = await wait_rows(server.runtime, lambda rs: all(r.status == MailStatus.SENT for r in rs))

    # Then each mail arrived twice (at least once), both copies with the same Message-ID
    ids = Counter(str(m["Message-ID"]) for m in smtp.messages)
    assert ids == Counter({row.message_id: 2 for row in rows})
    assert {str(m["To"]) for m in smtp.messages} == set(recipients)
    assert all(row.attempts == 2 for row in rows)
    assert LEASE * 0.9 <= waited < LEASE + 10


async def test_a_slow_batch_keeps_its_lease_and_is_sent_once(
    server: LiveServer, smtp: MailCatcher
) -> None:
    # Given a second process polling the same outbox, and an SMTP server that takes 0.6 s
    # per mail (a batch of four lasts longer than the 1.5 s lease)
    other = Runtime.create(server.settings)
    await other.mailer.start()
    smtp.delay = 0.6
    try:
        # When four mails are written
        mailer = template_mailer(server.settings, server.runtime)
        context = {"name": "Zoé", "confirm_url": confirm_url(server.settings, 0)}
        async with server.runtime.sessionmaker() as session, session.begin():
            await begin_write(session)
            for n in range(4):
                to = f"lent{n}@example.org"
                await mailer.enqueue(session, to=to, template="bonjour", context=context)
        server.runtime.mailer.wake()
        other.mailer.wake()

        # Then each is sent exactly once: the lease was renewed while the batch was sent
        await wait_rows(
            server.runtime,
            lambda rs: all(r.status == MailStatus.SENT for r in rs),
            timeout=20,
        )
        await smtp.wait_for(4, timeout=5)
        rows = await outbox_rows(server.runtime)
        assert [r.attempts for r in rows] == [1, 1, 1, 1]
        assert sorted(str(m["To"]) for m in smtp.messages) == [
            f"lent{n}@example.org" for n in range(4)
        ]
    finally:
        smtp.delay = 0.0
        await other.close()
