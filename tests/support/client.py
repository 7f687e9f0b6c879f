"""Test helpers: a GraphQL-over-HTTP client and a real SMTP catcher."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class GraphQLError(AssertionError):
    pass


class GraphQL:
    """Sends GraphQL documents over HTTP, the way a frontend does."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.token: str | None = None

    def headers(self, token: str | None = None) -> dict[str, str]:
        tok = token or self.token
        return {"Authorization": f"Bearer {tok}"} if tok else {}

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        return await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=self.headers(token),
        )

    async def raw(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        response = await self.post(query, variables, token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """Run a document and return ``data``; fail the test on any GraphQL error."""
        body = await self.raw(query, variables, token)
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        data: dict[str, Any] = body["data"]
        return data


class _Handler:
    def __init__(self, catcher: MailCatcher) -> None:
        self.catcher = catcher

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        reply = self.catcher.next_reply()
        if reply is not None:
            return reply
        if self.catcher.delay:
            await asyncio.sleep(self.catcher.delay)  # a slow server, before it accepts
        raw = envelope.original_content or b""
        msg = message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        with self.catcher.lock:
            self.catcher.messages.append(msg)
            self.catcher.raw[id(msg)] = raw
        return "250 OK"


class MailCatcher:
    """A real aiosmtpd server on 127.0.0.1; keeps parsed messages in ``messages``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.raw: dict[int, bytes] = {}  # each message's bytes as received, by id(message)
        self.lock = threading.Lock()
        self._replies: list[str] = []
        self.delay = 0.0  # seconds each DATA command takes before it is accepted
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def fail_next(self, reply: str, times: int = 1) -> None:
        """Make the next DATA commands answer ``reply`` (e.g. "451 try later")."""
        with self.lock:
            self._replies.extend([reply] * times)

    def next_reply(self) -> str | None:
        with self.lock:
            return self._replies.pop(0) if self._replies else None

    async def wait_for(
        self, count: int = 1, to: str | None = None, timeout: float = 10.0
    ) -> list[EmailMessage]:
        """Wait until ``count`` messages (to ``to``, if given) have arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.for_address(to) if to else list(self.messages)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} mail(s) to {to}, got {len(found)}")
            await asyncio.sleep(0.02)

    def raw_bytes(self, msg: EmailMessage) -> bytes:
        """The bytes of ``msg`` exactly as the SMTP server received them."""
        with self.lock:
            return self.raw[id(msg)]

    def for_address(self, to: str | None) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if to is None or to in str(m["To"])]


def text_part(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    content: str = part.get_content()
    return content


def html_part(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("html",))
    assert part is not None
    content: str = part.get_content()
    return content


def links(msg: EmailMessage) -> list[str]:
    """Every http(s) link in the text part, in order."""
    return re.findall(r"https?://[^\s<>\"]+", text_part(msg))
