"""No personal data where it does not belong (issue 14 §6): the journey tests run again with
every log line captured as the server renders it (JSON, DEBUG and up), and the lines hold no
password, bearer token, link token (reset, confirmation, report, unsubscribe), IBAN or full
e-mail address. The secrets are collected from what really crossed the wire: the requests'
variables, the responses and the mails' links."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson
import pytest

from espace.logs import QUIET_LOGGERS, formatter
from tests.conftest import LiveServer
from tests.journeys import test_journey as journey
from tests.journeys import test_unemployment_month as month
from tests.support.client import GraphQL, MailCatcher, links

SECRET_KEYS = {
    "password",
    "newPassword",
    "currentPassword",
    "answer",
    "secretAnswer",
    "token",
    "iban",
}
FULL_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}\b")


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """Every log record of this process, rendered by the server's JSON formatter, with the
    levels of the server's logging configuration (``espace.logs.logging_config``)."""
    out = io.StringIO()
    quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)


class Wire:
    """The secrets that crossed the wire: request variables, response fields, mail links."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()

    def collect(self, data: Any) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if key in SECRET_KEYS and isinstance(value, str) and len(value) >= 6:
                    self.secrets.add(value)
                    self.secrets.add(value.replace(" ", ""))
                else:
                    self.collect(value)
        elif isinstance(data, list):
            for item in data:
                self.collect(item)

    async def on_request(self, request: httpx.Request) -> None:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if bearer:
            self.secrets.add(bearer)
        if request.headers.get("content-type", "").startswith("application/json"):
            self.collect(orjson.loads(request.content))

    async def on_response(self, response: httpx.Response) -> None:
        await response.aread()
        if response.headers.get("content-type", "").startswith("application/json"):
            self.collect(response.json())

    def mail_tokens(self, smtp: MailCatcher) -> None:
        for msg in list(smtp.messages):
            for link in links(msg):
                parts = urlsplit(link)
                for values in parse_qs(parts.query).values():
                    self.secrets.update(v for v in values if len(v) >= 16)
                last = parts.path.rstrip("/").rsplit("/", 1)[-1]
                if len(last) >= 16:
                    self.secrets.add(last)


@pytest.fixture
async def wire(http: httpx.AsyncClient) -> AsyncIterator[Wire]:
    seen = Wire()
    http.event_hooks["request"].append(seen.on_request)
    http.event_hooks["response"].append(seen.on_response)
    yield seen


def assert_clean(text: str, wire: Wire) -> None:
    lines = [orjson.loads(line) for line in text.splitlines() if line.strip()]
    assert len([line for line in lines if line.get("event") == "request"]) >= 10, "no log?"
    assert FULL_EMAIL.findall(text) == []
    assert IBAN.findall(text) == []
    assert "/mot-de-passe/reinitialiser?" not in text
    assert [line for line in text.splitlines() if re.search(r"token=[A-Za-z0-9_-]{8,}", line)] == []
    assert wire.secrets, "nothing collected"
    leaked = sorted(s for s in wire.secrets if s in text)
    assert leaked == []


async def test_the_candidates_story_logs_no_personal_data(
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    wire: Wire,
    log_text: io.StringIO,
) -> None:
    await journey.test_the_candidates_story(api, http, smtp)
    wire.mail_tokens(smtp)
    assert_clean(log_text.getvalue(), wire)


async def test_a_month_of_the_unemployment_file_logs_no_personal_data(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    wire: Wire,
    log_text: io.StringIO,
) -> None:
    await month.test_a_month_of_the_unemployment_file(server, api, http, smtp)
    wire.mail_tokens(smtp)
    assert_clean(log_text.getvalue(), wire)
