"""SMTP delivery with aiosmtplib: one connection per batch, each outcome classified."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy, default
from email.utils import format_datetime
from typing import Any, cast

import aiosmtplib
from aiosmtplib import (
    SMTPConnectError,
    SMTPException,
    SMTPHeloError,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPServerDisconnected,
    SMTPTimeoutError,
)

from ground.settings import Settings
from models.mail import OutboxMail


@dataclass(frozen=True)
class Failure:
    """Why a mail was not delivered; ``permanent`` (a 5xx reply) means do not retry."""

    error: str
    permanent: bool


class UrlListHeader(UnstructuredHeader, BaseHeader):
    """A header of URLs in angle brackets (RFC 2369 ``List-Unsubscribe``), written as it is.

    The default folding turns a long URL (no whitespace to fold at) into RFC 2047
    encoded-words, which mail clients do not read as a link. An ASCII value goes out on
    one line (RFC 5322 allows up to 998 characters); folding only at the commas between
    URLs, where RFC 2369 allows it."""

    def fold(self, *, policy: Any) -> str:
        value = str(self)
        if not value.isascii() or any(c in value for c in "\r\n"):
            return str(BaseHeader.fold(self, policy=policy))
        urls = [part.strip() for part in value.split(",")]
        linesep = str(policy.linesep)
        return f"{self.name}: " + f",{linesep} ".join(urls) + linesep


def _mail_policy() -> EmailPolicy:
    registry = HeaderRegistry()  # our own: the default policy's registry is shared
    registry.map_to_type("list-unsubscribe", UrlListHeader)
    registry.map_to_type("list-unsubscribe-post", UrlListHeader)
    return cast(EmailPolicy, default.clone(header_factory=registry))


MAIL_POLICY = _mail_policy()


def build_message(mail: OutboxMail, mail_from: str) -> EmailMessage:
    """The MIME message: text and HTML alternatives, the row's fixed Message-ID."""
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = mail_from
    msg["To"] = mail.to_addr
    msg["Subject"] = mail.subject
    msg["Message-ID"] = mail.message_id
    # The origination date is the enqueue time, identical on every retry.
    msg["Date"] = format_datetime(mail.created_at)
    msg["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        msg[name] = str(value)
    msg.set_content(mail.text_body)
    msg.add_alternative(mail.html_body, subtype="html")
    return msg


def _client(settings: Settings) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout,
    )


# The connection itself failed: every mail not yet sent is retried later.
_CONNECTION_ERRORS = (
    SMTPConnectError,
    SMTPServerDisconnected,
    SMTPTimeoutError,
    SMTPHeloError,
    OSError,
)


async def deliver(
    settings: Settings, mails: Sequence[OutboxMail]
) -> AsyncGenerator[tuple[OutboxMail, Failure | None]]:
    """Send ``mails`` in order, yielding each one with its failure (None when accepted)."""
    client = _client(settings)
    try:
        await client.connect()
    except (SMTPException, OSError) as exc:
        # Authentication and TLS problems are the server's or the config's, not the mail's.
        failure = Failure(_describe(exc), permanent=False)
        for mail in mails:
            yield mail, failure
        return
    try:
        for index, mail in enumerate(mails):
            try:
                await client.send_message(build_message(mail, settings.mail_from))
            except _CONNECTION_ERRORS as exc:
                failure = Failure(_describe(exc), permanent=False)
                for rest in mails[index:]:
                    yield rest, failure
                return
            except (SMTPException, ValueError) as exc:
                yield mail, _reply_failure(exc)
                continue
            yield mail, None
    finally:
        if client.is_connected:
            try:
                await client.quit()
            except (SMTPException, OSError):
                client.close()


def _reply_failure(exc: Exception) -> Failure:
    """4xx replies are transient, 5xx permanent; an unsendable address is permanent."""
    if isinstance(exc, SMTPRecipientsRefused) and exc.recipients:
        first = exc.recipients[0]
        return Failure(f"{first.code} {first.message}", permanent=500 <= first.code < 600)
    if isinstance(exc, SMTPResponseException):
        return Failure(f"{exc.code} {exc.message}", permanent=500 <= exc.code < 600)
    return Failure(_describe(exc), permanent=True)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
