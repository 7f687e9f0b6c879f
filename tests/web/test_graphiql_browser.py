"""GraphiQL in a real browser: Debian's headless Chromium, driven by Playwright, with no
network (host names do not resolve, and every request is recorded).

The page loads every file from the server, its docs explorer shows the schema's
descriptions, and with the token entered once a query runs over HTTP and a subscription over
the WebSocket. Skipped where /usr/bin/chromium is absent (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from espace.cli.demo import DEV_ORIGINS
from espace.ws import Hub
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.ws import eventually

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does)",
)
playwright = pytest.importorskip("playwright.async_api")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No network: no host name resolves but the test server's address.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        # GraphiQL's introspection document is 14 levels deep; until introspection is exempt
        # from ESPACE_MAX_DEPTH (issue 10, "Standard introspection passes the limits"), allow it.
        "max_depth": 14,
        # As in the demo: an allowlist, which the page's own origin need not be part of.
        "allowed_origins": list(DEV_ORIGINS),
    }


@dataclass
class Browser:
    page: Any  # playwright.async_api.Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def editor_text(self, selector: str) -> str:
        """The text of a CodeMirror editor of the page."""
        text: str = await self.page.evaluate(
            "s => document.querySelector(s + ' .CodeMirror').CodeMirror.getValue()", selector
        )
        return text

    async def set_editor(self, selector: str, text: str) -> None:
        await self.page.evaluate(
            "([s, t]) => document.querySelector(s + ' .CodeMirror').CodeMirror.setValue(t)",
            [selector, text],
        )

    async def response_containing(self, needle: str) -> str:
        """Wait until the response pane contains ``needle``; its text."""
        try:
            await self._wait_response(needle)
        except playwright.Error:
            response = await self.editor_text(".graphiql-response")
            raise AssertionError(f"{needle!r} not in the response: {response}") from None
        return await self.editor_text(".graphiql-response")

    async def _wait_response(self, needle: str) -> None:
        await self.page.wait_for_function(
            "n => document.querySelector('.graphiql-response .CodeMirror')"
            ".CodeMirror.getValue().includes(n)",
            arg=needle,
            timeout=TIMEOUT_MS,
        )

    async def open_example(self, name: str) -> None:
        """Pick an operation in the « Exemples » panel (it opens in a new tab)."""
        show = self.page.get_by_label("Show Exemples")  # "Hide Exemples" once open
        if await show.count():
            await show.click()
        await self.page.locator(f'button[data-operation="{name}"]').click()
        await self.page.wait_for_function(
            "n => document.querySelector('.graphiql-query-editor .CodeMirror')"
            ".CodeMirror.getValue().includes(n)",
            arg=f" {name}",
            timeout=TIMEOUT_MS,
        )

    async def run(self) -> None:
        await self.page.locator(".graphiql-execute-button").click()


@pytest.fixture
async def browser(server: LiveServer, tmp_path: Path) -> AsyncIterator[Browser]:
    async with playwright.async_playwright() as driver:
        context = await driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # a new, empty profile
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.pages[0] if context.pages else await context.new_page()
        seen = Browser(page)
        context.on("request", lambda request: seen.requests.append(request.url))
        page.on("websocket", lambda socket: seen.requests.append(socket.url))
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        try:
            yield seen
        finally:
            await context.close()


def hosts(urls: list[str]) -> set[str]:
    return {urlsplit(url).hostname or url for url in urls}


def subscribed(server: LiveServer) -> bool:
    hub: Hub = server.app.state.hub
    return any(conn.ops for conn in hub.connections)


async def test_graphiql_offline_docs_query_and_subscription(
    browser: Browser, server: LiveServer, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    described = await api('{ __type(name: "Dossier") { description } }')
    description = described["__type"]["description"].split("\n")[0]
    page = browser.page

    # Given GraphiQL opened with no network, on its docs (the site root's second link):
    # it shows our default query, and the docs explorer is open
    await page.goto(server.url + "/graphql#docs")
    await page.wait_for_selector(".graphiql-container")
    assert "Se connecter" in await browser.editor_text(".graphiql-query-editor")
    await page.get_by_label("Hide Documentation Explorer").wait_for()

    # The docs explorer shows the schema: search a type, read its description
    search = page.locator(".graphiql-doc-explorer-search input")
    await search.fill("Dossier")
    await page.get_by_role("option", name="Dossier", exact=True).first.click()
    await page.locator(".graphiql-doc-explorer-content").get_by_text(description).first.wait_for()

    # The explorer plugin lists the root fields
    await page.get_by_label("Show GraphiQL Explorer").click()
    await page.locator(".graphiql-explorer-root").get_by_text("communes").first.wait_for()

    # Sign in from the « Exemples » list, over HTTP, then take the token it returned
    await browser.open_example("SessionCreate")
    await browser.set_editor(
        '[aria-label="Variables"]',
        json.dumps(
            {
                "identifiant": candidate.identifiant,
                "postalCode": candidate.postal_code,
                "password": candidate.password,
            }
        ),
    )
    await browser.run()
    await browser.response_containing('"token"')
    await page.get_by_role("button", name="Utiliser le jeton reçu").click()
    token = await page.locator("#espace-token").input_value()
    assert re.fullmatch(r"\S{20,}", token), token

    # A query with that token, over HTTP
    await browser.open_example("Viewer")
    await browser.run()
    await browser.response_containing(candidate.identifiant)

    # A subscription with the same token, over the WebSocket: an event arrives live
    await browser.open_example("DashboardEvents")
    await browser.run()
    await eventually(lambda: subscribed(server), timeout=TIMEOUT_MS / 1000)
    await create_dossier(api, candidate.token, name="DRE-navigateur")
    await browser.response_containing("DRE-navigateur")

    # Every request went to the server itself, the socket included; nothing failed
    assert hosts(browser.requests) == {"127.0.0.1"}, browser.requests
    assert any(url.startswith("ws://127.0.0.1") for url in browser.requests)
    assert browser.errors == []


async def test_a_pasted_token_reaches_http_and_a_refused_one_says_why(
    browser: Browser, server: LiveServer, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api)
    page = browser.page
    # From the site root's link
    await page.goto(server.url + "/")
    await page.get_by_role("link", name="GraphiQL").click()
    await page.wait_for_selector(".graphiql-container")

    # A token pasted in the field, with its scheme in any case, reaches HTTP
    await page.locator("#espace-token").fill(f"bearer {candidate.token}")
    await browser.open_example("Viewer")
    await browser.run()
    await browser.response_containing(candidate.identifiant)

    # A wrong one makes the subscription fail with the server's reason, in French
    await page.locator("#espace-token").fill("pas-un-jeton")
    await browser.open_example("DashboardEvents")
    await browser.run()
    await browser.response_containing("Jeton invalide ou expiré")

    # An Authorization written in the tab's headers wins over the field, on the socket too
    await page.get_by_role("button", name="Headers").click()
    await browser.set_editor(
        ".graphiql-editor-tool .graphiql-editor:not(.hidden)",
        json.dumps({"authorization": f"Bearer {candidate.token}"}),
    )
    await browser.run()
    await eventually(lambda: subscribed(server), timeout=TIMEOUT_MS / 1000)
    await create_dossier(api, candidate.token, name="DRE-en-tete")
    await browser.response_containing("DRE-en-tete")
    assert hosts(browser.requests) == {"127.0.0.1"}, browser.requests
