"""Mail: templates, the transactional outbox and its SMTP worker.

A domain writes a mail with ``await mailer.enqueue(session, to=..., template=..., context=...)``
inside its own write transaction: the mail exists if and only if the change commits. The
worker started in the app's lifespan sends pending mails, retries transient failures with
exponential backoff and moves refused mails to dead letter (status ``dead``).

Templates live in ``mailer/templates``: ``<name>.subject.txt``, ``<name>.txt`` (plain text,
may ``{% include "_footer.txt" %}``) and ``<name>.html`` (``{% extends "_layout.html" %}``,
filling ``{% block content %}``; ``{% from "_macros.html" import button %}`` for a call to
action). They are written in French, and links in them are absolute: ``link("/path")`` is
available in every template, as is ``public_url``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Sequence
from contextlib import aclosing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ground.db import begin_write
from ground.settings import Settings
from mailer import outbox
from mailer.render import TEMPLATE_DIR, Renderer
from mailer.smtp import Failure, deliver
from mailer.worker import Worker
from models.base import utcnow
from models.mail import OutboxMail

__all__ = ["Mailer"]

log = logging.getLogger("mailer")


class Mailer:
    """Enqueues mails in the caller's transaction; a background worker delivers them."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        template_dirs: Sequence[Path] = (),
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        # Short, and renewed while the batch is being sent (``_renew``): the mails of a
        # process that died are claimed again by another within about one lease.
        self.lease = timedelta(seconds=settings.outbox_lease_seconds)
        self.renderer = Renderer(
            [*template_dirs, TEMPLATE_DIR],
            {"link": settings.link, "public_url": settings.public_url},
        )
        self._worker = Worker(
            self.run_once,
            poll_interval=settings.outbox_poll_interval,
            batch_size=settings.outbox_batch_size,
            stop_grace=settings.smtp_timeout,
        )

    async def enqueue(
        self,
        session: AsyncSession,
        *,
        to: str,
        template: str,
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> OutboxMail:
        """Render ``template`` and add the mail to ``session``'s transaction. Does not send."""
        rendered = self.renderer.render(template, context)
        return await outbox.add(
            session,
            message_id=outbox.new_message_id(self.settings.public_url),
            to=outbox.checked_recipient(to),
            template=template,
            rendered=rendered,
            headers=outbox.checked_headers(headers),
            now=utcnow(),
        )

    async def enqueue_many(
        self, session: AsyncSession, mails: Sequence[tuple[str, str, dict[str, Any]]]
    ) -> int:
        """Render each ``(to, template, context)`` and add them all to ``session``'s
        transaction in one INSERT (a batch job's mails: the payment run's). Does not send."""
        if not mails:
            return 0
        now = utcnow()
        rows = []
        for to, template, context in mails:
            rendered = self.renderer.render(template, context)
            rows.append(
                outbox.row(
                    message_id=outbox.new_message_id(self.settings.public_url),
                    to=outbox.checked_recipient(to),
                    template=template,
                    rendered=rendered,
                    headers={},
                    now=now,
                )
            )
        await outbox.add_many(session, rows)
        return len(rows)

    async def run_once(self) -> int:
        """Claim one batch of due mails and try to send each; returns how many were tried."""
        now = utcnow()
        async with self.sessionmaker() as session, session.begin():
            await begin_write(session)
            mails = await outbox.claim(
                session,
                now=now,
                lease_until=now + self.lease,
                limit=self.settings.outbox_batch_size,
            )
        limit = self.settings.outbox_max_attempts
        # Claimed again and again by workers that died mid-send: stop trying.
        for mail in (m for m in mails if m.attempts > limit):
            await self._record(mail, Failure("lease expired too many times", permanent=True))
        sendable = [m for m in mails if m.attempts <= limit]
        if sendable:
            await self._send(sendable)
        return len(mails)

    async def _send(self, mails: list[OutboxMail]) -> None:
        """Deliver a claimed batch, renewing its lease until each mail is recorded."""
        held = {m.id: m for m in mails}
        turn = asyncio.Lock()  # a renewal and a result never interleave on one mail
        renewer = asyncio.create_task(self._renew(held, turn), name="mailer-lease")
        try:
            async with aclosing(deliver(self.settings, mails)) as outcomes:
                async for mail, failure in outcomes:
                    async with turn:
                        held.pop(mail.id, None)
                        await self._record(mail, failure)
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer

    async def _renew(self, held: dict[int, OutboxMail], turn: asyncio.Lock) -> None:
        """Every third of the lease, move the lease of the mails not yet recorded on."""
        while held:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            async with turn:
                mails = list(held.values())
                if not mails:
                    return
                until = utcnow() + self.lease
                try:
                    async with self.sessionmaker() as session, session.begin():
                        await begin_write(session)
                        renewed = set()
                        for since in {m.claimed_until for m in mails}:
                            assert since is not None
                            same = [m for m in mails if m.claimed_until == since]
                            renewed |= await outbox.renew(session, same, since, until)
                except Exception:  # a busy database: try again at the next tick
                    log.warning("outbox: lease renewal failed", exc_info=True)
                    continue
                for mail in mails:
                    if mail.id in renewed:
                        mail.claimed_until = until
                    else:  # taken over by another worker after our lease expired
                        held.pop(mail.id, None)

    async def _record(self, mail: OutboxMail, failure: Failure | None) -> None:
        now = utcnow()
        async with self.sessionmaker() as session, session.begin():
            await begin_write(session)
            if failure is None:
                spent = None if self.settings.outbox_keeps_link_tokens else mail
                await outbox.mark_sent(session, mail.id, now, spent)
                return
            retry_at = None if failure.permanent else self._retry_at(mail.attempts, now)
            await outbox.mark_failed(session, mail, error=failure.error, retry_at=retry_at)
        if retry_at is None:
            log.warning(
                "outbox: mail %s abandoned after %s attempt(s): %s",
                mail.id,
                mail.attempts,
                failure.error,
            )
        else:
            log.info("outbox: mail %s will be retried: %s", mail.id, failure.error)

    def _retry_at(self, attempts: int, now: datetime) -> datetime | None:
        """Exponential backoff with jitter; None once every attempt is used."""
        if attempts >= self.settings.outbox_max_attempts:
            return None
        s = self.settings
        # ``attempts`` already counts this one: the first retry waits about ``base``.
        delay = min(s.outbox_backoff_cap, s.outbox_backoff_base * 2 ** (attempts - 1))
        return now + timedelta(seconds=delay * random.uniform(0.5, 1.0))

    def wake(self) -> None:
        """Send now rather than at the next poll (called after each commit)."""
        self._worker.wake()

    async def start(self) -> None:
        await self._worker.start()

    async def stop(self) -> None:
        await self._worker.stop()
