"""Mail delivery under failures: retries, dead letters, expired leases, concurrent workers, and
the /dev/mails page."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from ground.db import begin_write
from ground.runtime import Runtime
from ground.settings import Settings
from mailer import Mailer
from models.base import utcnow
from models.mail import MailStatus
from tests.conftest import LiveServer, free_port
from tests.mailer.test_mailer import (
    SCRIPT,
    all_status,
    confirm_url,
    enqueue,
    message_ids,
    outbox_rows,
    settings_overrides,  # noqa: F401  (retries, batches)
    template_mailer,
    wait_rows,
)
from tests.support.client import MailCatcher


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
    # A backoff of a second: the immediate second try must find nothing due, even on a busy
    # machine.
    backoff = {"outbox_backoff_base": 1.0, "outbox_backoff_cap": 1.0}
    down = settings.model_copy(
        update={"smtp_port": free_port(), "outbox_max_attempts": 2, **backoff}
    )
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
