"""Mail delivery: the transactional outbox, its SMTP worker and the /dev/mails page."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
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
from models.mail import MailStatus, OutboxMail
from tests.conftest import LiveServer
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
