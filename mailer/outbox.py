"""The outbox table: write a mail in the caller's transaction, claim due mails, record results."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from email.utils import make_msgid
from urllib.parse import urlsplit

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mailer.render import RenderedMail
from models.mail import MailStatus, OutboxMail

RESERVED_HEADERS = frozenset({"from", "to", "cc", "bcc", "subject", "message-id", "date"})
# The token of a mailed link (reset, confirmation, report, unsubscribe): `?token=…`.
_LINK_TOKEN = re.compile(r"([?&]token=)[^&\s\"'<>]+")
SPENT_TOKEN = "envoye"


def new_message_id(public_url: str) -> str:
    """A Message-ID on the public URL's domain, fixed once and kept on every retry."""
    domain = urlsplit(public_url).hostname or "localhost"
    return make_msgid(domain=domain)


def checked_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Extra headers, refusing line breaks (header injection) and the ones the mailer sets."""
    result: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not name or any(c in name for c in ":\r\n ") or "\r" in value or "\n" in value:
            raise ValueError(f"invalid mail header {name!r}")
        if name.lower() in RESERVED_HEADERS:
            raise ValueError(f"mail header {name!r} is set by the mailer")
        result[name] = value
    return result


def checked_recipient(to: str) -> str:
    if "@" not in to or "\r" in to or "\n" in to or len(to) > 254:
        raise ValueError("invalid mail recipient")
    return to


async def add(
    session: AsyncSession,
    *,
    message_id: str,
    to: str,
    template: str,
    rendered: RenderedMail,
    headers: dict[str, str],
    now: datetime,
) -> OutboxMail:
    """Add a pending row to the caller's transaction. Not flushed here: the rows a
    transaction enqueues are inserted together at its next flush (one batched INSERT for
    the instant mails of an offer matching many alerts, not one round trip per mail)."""
    row = OutboxMail(
        message_id=message_id,
        to_addr=to,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        headers=headers,
        template=template,
        status=MailStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


def row(
    *,
    message_id: str,
    to: str,
    template: str,
    rendered: RenderedMail,
    headers: dict[str, str],
    now: datetime,
) -> dict[str, object]:
    """The column values of a pending mail (for ``add_many``)."""
    return {
        "message_id": message_id,
        "to_addr": to,
        "subject": rendered.subject,
        "text_body": rendered.text,
        "html_body": rendered.html,
        "headers": headers,
        "template": template,
        "status": MailStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


async def add_many(session: AsyncSession, rows: Sequence[dict[str, object]]) -> None:
    """Insert pending mails in the caller's transaction, in one statement."""
    if rows:
        await session.execute(insert(OutboxMail), list(rows))


async def claim(
    session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int
) -> Sequence[OutboxMail]:
    """Take up to ``limit`` due mails for this worker, atomically.

    Due means pending and past ``next_attempt_at``, or stuck in ``sending`` with
    an expired lease (the process that claimed it died). PostgreSQL skips rows
    another worker holds (``FOR UPDATE SKIP LOCKED``); on SQLite the write
    transaction already serialises claims and ``FOR UPDATE`` renders as nothing.
    Claiming counts as an attempt, so a mail that crashes its worker is not
    retried forever.
    """
    due = or_(
        and_(OutboxMail.status == MailStatus.PENDING, OutboxMail.next_attempt_at <= now),
        and_(OutboxMail.status == MailStatus.SENDING, OutboxMail.claimed_until < now),
    )
    ids = (
        select(OutboxMail.id)
        .where(due)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    stmt = (
        update(OutboxMail)
        .where(OutboxMail.id.in_(ids))
        .values(
            status=MailStatus.SENDING,
            claimed_until=lease_until,
            attempts=OutboxMail.attempts + 1,
        )
        .returning(OutboxMail)
        .execution_options(synchronize_session=False)
    )
    rows = (await session.scalars(stmt)).all()
    return sorted(rows, key=lambda row: row.id)


async def renew(
    session: AsyncSession, mails: Sequence[OutboxMail], held_until: datetime, until: datetime
) -> set[int]:
    """Move the lease of mails we still hold (claimed with ``held_until``) on to ``until``;
    returns the ids renewed (a mail another worker took over is not ours to renew)."""
    ids = await session.scalars(
        update(OutboxMail)
        .where(
            OutboxMail.id.in_([m.id for m in mails]),
            OutboxMail.status == MailStatus.SENDING,
            OutboxMail.claimed_until == held_until,
        )
        .values(claimed_until=until)
        .returning(OutboxMail.id)
        .execution_options(synchronize_session=False)
    )
    return set(ids.all())


# Mails whose recipient no longer exists here once they are sent (the last mail of an
# erased account): the row keeps no address, subject or body after sending.
FORGOTTEN_ONCE_SENT = frozenset({"account_erased"})
FORGOTTEN = {
    "to_addr": "supprime@invalid",
    "subject": "[supprimé]",
    "text_body": "",
    "html_body": "",
}


def without_link_tokens(text: str) -> str:
    """The text with every mailed link's token replaced: what the outbox keeps once the
    mail is sent, so that a copy of the database holds no working link (issue 14 §6)."""
    return _LINK_TOKEN.sub(rf"\g<1>{SPENT_TOKEN}", text)


async def mark_sent(
    session: AsyncSession, mail_id: int, now: datetime, spent: OutboxMail | None = None
) -> None:
    """Record the delivery; with ``spent`` (the mail), its links' tokens are removed."""
    values: dict[str, object] = {"status": MailStatus.SENT, "sent_at": now, "claimed_until": None}
    if spent is not None:
        values["text_body"] = without_link_tokens(spent.text_body)
        values["html_body"] = without_link_tokens(spent.html_body)
        values["headers"] = {k: without_link_tokens(v) for k, v in spent.headers.items()}
    await session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.status != MailStatus.SENT)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.template.in_(FORGOTTEN_ONCE_SENT))
        .values(**FORGOTTEN)
        .execution_options(synchronize_session=False)
    )


async def mark_failed(
    session: AsyncSession,
    mail: OutboxMail,
    *,
    error: str,
    retry_at: datetime | None,
) -> None:
    """Schedule a retry at ``retry_at``, or move the mail to dead letter when it is None.

    Only while the claim is still ours: if our lease expired and another worker
    took the mail, its outcome wins.
    """
    values: dict[str, object] = {"last_error": error[:2000], "claimed_until": None}
    if retry_at is None:
        values["status"] = MailStatus.DEAD
    else:
        values.update(status=MailStatus.PENDING, next_attempt_at=retry_at)
    await session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail.id,
            OutboxMail.status == MailStatus.SENDING,
            OutboxMail.claimed_until == mail.claimed_until,
        )
        .values(values)
        .execution_options(synchronize_session=False)
    )
