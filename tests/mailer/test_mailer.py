"""Mail delivery: the transactional outbox, its SMTP worker and the /dev/mails page."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from ground.db import begin_write
from ground.runtime import Runtime
from ground.settings import Settings
from mailer import Mailer
from models.base import utcnow
from models.mail import MailStatus, OutboxMail
from tests.conftest import LiveServer, free_port
from tests.support.client import MailCatcher, html_part, links, text_part

# Test-only templates (``bonjour.*``); they extend the real ``_layout.html``.
TEMPLATES = Path(__file__).resolve().parent / "mail_templates"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # Room for the SMTP-down test to retry a while; small batches so workers interleave.
    return {"outbox_max_attempts": 40, "outbox_batch_size": 5}


def template_mailer(settings: Settings, runtime: Runtime) -> Mailer:
    """A mailer that also knows the test templates, writing to the server's database."""
    return Mailer(settings, runtime.sessionmaker, template_dirs=[TEMPLATES])


def confirm_url(settings: Settings, n: int) -> str:
    return settings.link(f"/courriel/confirmer?jeton=abc&n={n}")


async def enqueue(server: LiveServer, *recipients: str, name: str = "Zoé") -> list[OutboxMail]:
    """Write one mail per recipient in one committed transaction, then wake the worker."""
    mailer = template_mailer(server.settings, server.runtime)
    rows = []
    async with server.runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        for n, to in enumerate(recipients):
            context = {"name": name, "confirm_url": confirm_url(server.settings, n)}
            rows.append(await mailer.enqueue(session, to=to, template="bonjour", context=context))
    server.runtime.mailer.wake()
    return rows


async def outbox_rows(runtime: Runtime) -> list[OutboxMail]:
    async with runtime.sessionmaker() as session:
        return list((await session.scalars(select(OutboxMail).order_by(OutboxMail.id))).all())


async def wait_rows(
    runtime: Runtime, check: Callable[[list[OutboxMail]], bool], timeout: float = 10.0
) -> list[OutboxMail]:
    deadline = time.monotonic() + timeout
    while True:
        rows = await outbox_rows(runtime)
        if rows and check(rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"outbox never reached the expected state: {rows!r}")
        await asyncio.sleep(0.02)


def all_status(status: MailStatus) -> Callable[[list[OutboxMail]], bool]:
    return lambda rows: all(row.status == status for row in rows)


def message_ids(messages: Sequence[Any]) -> list[str]:
    return sorted(str(msg["Message-ID"]) for msg in messages)


def restart(smtp: MailCatcher) -> None:
    """Start the SMTP server again on the same port (a stopped controller cannot restart)."""
    smtp.controller = Controller(smtp.controller.handler, hostname="127.0.0.1", port=smtp.port)
    smtp.start()


async def test_mail_has_text_and_html_parts_and_the_enqueued_message_id(
    server: LiveServer, smtp: MailCatcher
) -> None:
    # given a mail enqueued with a hostile value in its context
    [row] = await enqueue(server, "zoe@example.org", name=f"Zoé {SCRIPT}")

    # when the worker delivers it
    [msg] = await smtp.wait_for(1, to="zoe@example.org")

    # then it is French, multipart, and carries the Message-ID fixed at enqueue time
    assert msg["Subject"] == f"Bonjour Zoé {SCRIPT}, confirmez votre adresse électronique"
    assert msg["Message-ID"] == row.message_id
    assert row.message_id.endswith("@127.0.0.1>")
    assert msg["From"] == server.settings.mail_from
    assert msg["To"] == "zoe@example.org"
    assert msg["Date"] is not None
    assert msg.get_content_type() == "multipart/alternative"
    # the text part shows the value as typed, the HTML part escapes it
    text, html = text_part(msg), html_part(msg)
    assert f"Bonjour Zoé {SCRIPT}," in text
    assert "Bonjour Zoé &lt;script&gt;alert(1)&lt;/script&gt;," in html
    assert "<script>" not in html
    assert "Espace Candidat" in html  # the shared layout
    url = confirm_url(server.settings, 0)
    assert links(msg)[0] == url
    assert f'href="{url.replace("&", "&amp;")}"' in html
    [sent] = await wait_rows(server.runtime, all_status(MailStatus.SENT))
    assert sent.attempts == 1
    assert sent.sent_at is not None


async def test_rolled_back_transaction_leaves_no_mail(
    server: LiveServer, smtp: MailCatcher
) -> None:
    class Abandon(Exception):
        pass

    mailer = template_mailer(server.settings, server.runtime)
    context = {"name": "Zoé", "confirm_url": confirm_url(server.settings, 0)}

    # given a transaction that enqueues a mail, then fails
    with pytest.raises(Abandon):
        async with server.runtime.sessionmaker() as session, session.begin():
            await begin_write(session)
            await mailer.enqueue(
                session, to="annule@example.org", template="bonjour", context=context
            )
            raise Abandon
    server.runtime.mailer.wake()

    # when a later transaction commits its own mail
    await enqueue(server, "garde@example.org")
    await smtp.wait_for(1, to="garde@example.org")

    # then only the committed mail exists and was sent
    assert [row.to_addr for row in await outbox_rows(server.runtime)] == ["garde@example.org"]
    assert smtp.for_address("annule@example.org") == []


async def test_smtp_outage_loses_nothing_and_sends_each_mail_once(
    server: LiveServer, smtp: MailCatcher, http: httpx.AsyncClient
) -> None:
    # given the SMTP server is down
    smtp.stop()
    rows = await enqueue(server, "a@example.org", "b@example.org", "c@example.org")

    # when the worker has tried and failed more than once
    failing = await wait_rows(server.runtime, lambda rs: all(r.attempts >= 2 for r in rs))

    # then the API still answers and every mail is still waiting
    health = await http.get("/healthz")
    assert health.status_code == 200
    assert len(failing) == 3
    assert all(r.status in (MailStatus.PENDING, MailStatus.SENDING) for r in failing)
    assert all(r.last_error and "SMTPConnect" in r.last_error for r in failing)

    # when SMTP comes back on the same port
    restart(smtp)
    await smtp.wait_for(3)
    sent = await wait_rows(server.runtime, all_status(MailStatus.SENT))
    await asyncio.sleep(0.3)

    # then each mail arrived exactly once, under the Message-ID fixed at enqueue
    assert message_ids(smtp.messages) == sorted(r.message_id for r in rows)
    assert sorted(r.message_id for r in sent) == sorted(r.message_id for r in rows)


async def test_4xx_reply_is_retried_then_delivered(server: LiveServer, smtp: MailCatcher) -> None:
    # given the server answers "try later" once
    smtp.fail_next("451 4.3.0 try later")

    # when a mail is enqueued
    [row] = await enqueue(server, "patience@example.org")

    # then it arrives on the second attempt, with the same Message-ID
    [msg] = await smtp.wait_for(1, to="patience@example.org")
    assert msg["Message-ID"] == row.message_id
    [sent] = await wait_rows(server.runtime, all_status(MailStatus.SENT))
    assert sent.attempts == 2
    assert sent.last_error is not None and sent.last_error.startswith("451")
    await asyncio.sleep(0.2)
    assert len(smtp.messages) == 1


async def test_5xx_reply_moves_the_mail_to_dead_letter(
    server: LiveServer, smtp: MailCatcher
) -> None:
    # given the server refuses the recipient for good
    smtp.fail_next("550 5.1.1 no such user")

    # when a mail is enqueued
    await enqueue(server, "inconnu@example.org")

    # then it is dead after one attempt, with the reply kept
    [dead] = await wait_rows(server.runtime, all_status(MailStatus.DEAD))
    assert dead.attempts == 1
    assert dead.last_error == "550 5.1.1 no such user"
    await asyncio.sleep(0.2)
    assert smtp.messages == []


async def test_mail_claimed_by_a_dead_process_is_sent_after_its_lease(
    server: LiveServer, smtp: MailCatcher
) -> None:
    # given mails claimed by processes that died: one lease expired, one still running,
    # and one whose lease expired once too often
    mailer = template_mailer(server.settings, server.runtime)
    context = {"name": "Zoé", "confirm_url": confirm_url(server.settings, 0)}
    max_attempts = server.settings.outbox_max_attempts
    rows = []
    async with server.runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        for to, lease, attempts in (
            ("expire@example.org", -1, 1),
            ("encours@example.org", 300, 1),
            ("epuise@example.org", -1, max_attempts),
        ):
            row = await mailer.enqueue(session, to=to, template="bonjour", context=context)
            row.status, row.attempts = MailStatus.SENDING, attempts
            row.claimed_until = utcnow() + timedelta(seconds=lease)
            rows.append(row)
    server.runtime.mailer.wake()

    # then only the expired claim with attempts left is taken again and sent
    [msg] = await smtp.wait_for(1, to="expire@example.org")
    assert msg["Message-ID"] == rows[0].message_id
    await asyncio.sleep(0.3)
    expired, running, exhausted = await outbox_rows(server.runtime)
    assert (expired.status, expired.attempts) == (MailStatus.SENT, 2)
    assert running.status == MailStatus.SENDING
    assert exhausted.status == MailStatus.DEAD
    assert len(smtp.messages) == 1


async def test_mail_goes_dead_once_attempts_are_used_up(settings: Settings) -> None:
    # given a mailer (no server, no worker loop) whose SMTP server never answers
    down = settings.model_copy(update={"smtp_port": free_port(), "outbox_max_attempts": 2})
    runtime = Runtime.create(down)
    mailer = template_mailer(down, runtime)
    try:
        async with runtime.sessionmaker() as session, session.begin():
            await begin_write(session)
            context = {"name": "Zoé", "confirm_url": confirm_url(down, 0)}
            await mailer.enqueue(session, to="zoe@example.org", template="bonjour", context=context)

        # when it tries twice (the retry waits for its backoff)
        assert await mailer.run_once() == 1
        assert await mailer.run_once() == 0
        await asyncio.sleep(down.outbox_backoff_base * 1.5)
        assert await mailer.run_once() == 1

        # then the mail is dead and no longer claimed
        [row] = await outbox_rows(runtime)
        assert (row.status, row.attempts) == (MailStatus.DEAD, 2)
        assert row.last_error is not None and "SMTPConnect" in row.last_error
        assert await mailer.run_once() == 0
    finally:
        await runtime.close()


async def test_concurrent_workers_send_each_mail_exactly_once(
    server: LiveServer, smtp: MailCatcher
) -> None:
    # given 20 mails and, besides the server's own worker, two more mailers on the same database
    others = [Runtime.create(server.settings, server.runtime.refdata) for _ in range(2)]
    try:
        rows = await enqueue(server, *(f"candidat{i}@example.org" for i in range(20)))

        # when all of them drain the outbox at once
        async def drain(mailer: Mailer) -> None:
            while await mailer.run_once():
                pass

        await asyncio.gather(*(drain(rt.mailer) for rt in others))
        await smtp.wait_for(20)
        sent = await wait_rows(server.runtime, all_status(MailStatus.SENT))
        await asyncio.sleep(0.3)
    finally:
        for rt in others:
            await rt.close()

    # then every mail was claimed once and arrived once
    assert message_ids(smtp.messages) == sorted(r.message_id for r in rows)
    assert len(sent) == 20
    assert all(row.attempts == 1 for row in sent)


async def test_dev_mails_lists_newest_first_and_escapes(
    server: LiveServer, smtp: MailCatcher, http: httpx.AsyncClient
) -> None:
    # given two mails, the second with markup in its subject
    await enqueue(server, "premier@example.org")
    [row] = await enqueue(server, "second@example.org", name=SCRIPT)
    await smtp.wait_for(2)

    # when a person opens the list
    page = await http.get("/dev/mails")

    # then both are listed, newest first, the markup shown as text
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    body = page.text
    assert body.index("second@example.org") < body.index("premier@example.org")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>" not in body
    assert "envoyé" in body

    # when they open the mail
    detail = await http.get(f"/dev/mails/{row.id}")

    # then the HTML part sits in a sandboxed iframe and the text link is clickable
    assert detail.status_code == 200
    assert "<script>" not in detail.text
    assert '<iframe sandbox="' in detail.text
    assert 'srcdoc="&lt;!doctype html&gt;' in detail.text
    url = confirm_url(server.settings, 0).replace("&", "&amp;")
    assert f'<a href="{url}" target="_blank"' in detail.text
    assert detail.headers["cache-control"] == "no-store"

    missing = await http.get("/dev/mails/999999")
    assert missing.status_code == 404
