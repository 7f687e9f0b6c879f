"""``/dev/mails``: a developer reads a mail's headers, clicks the links of its HTML part and
reads the times in Paris time."""

from __future__ import annotations

import html
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from ground.db import begin_write
from mailer import Mailer
from models.mail import OutboxMail
from tests.conftest import LiveServer
from tests.support.browser import chromium, needs_chromium
from tests.support.client import MailCatcher

TEMPLATES = Path(__file__).resolve().parent / "mail_templates"
UNSUBSCRIBE = "https://espace-candidat.example.org/abonnements/desabonnement?token=" + "x" * 60


async def enqueue_with_unsubscribe(server: LiveServer) -> OutboxMail:
    mailer = Mailer(server.settings, server.runtime.sessionmaker, template_dirs=[TEMPLATES])
    context = {"name": "Zoé", "confirm_url": server.settings.link("/courriel/confirmer?jeton=a")}
    headers = {
        "List-Unsubscribe": f"<{UNSUBSCRIBE}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    async with server.runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        row = await mailer.enqueue(
            session, to="zoe@example.org", template="bonjour", context=context, headers=headers
        )
    server.runtime.mailer.wake()
    return row


async def test_a_mail_shows_its_headers_clickable_html_and_paris_times(
    server: LiveServer, smtp: MailCatcher, http: httpx.AsyncClient
) -> None:
    # Given a mail with an unsubscribe header, sent
    row = await enqueue_with_unsubscribe(server)
    await smtp.wait_for(1)

    # When a developer opens it on /dev/mails
    page = await http.get(f"/dev/mails/{row.id}")

    # Then its headers are listed as sent, List-Unsubscribe as a plain link
    assert page.status_code == 200
    body = page.text
    assert "<h2>En-têtes</h2>" in body
    for name in ("From", "To", "Subject", "Message-ID", "Date", "List-Unsubscribe-Post"):
        assert f"<th>{name}</th>" in body
    assert f'<th>List-Unsubscribe</th><td>&lt;<a href="{UNSUBSCRIBE}"' in body

    # and the HTML part may be framed by the page itself, its links opening a new tab
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "frame-ancestors 'none'" not in csp
    assert "script-src 'none'" in csp
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', body, re.S)[1])  # type: ignore[index]
    anchors = re.findall(r"<a\b[^>]*>", srcdoc)
    assert anchors and all('target="_blank"' in a for a in anchors)
    assert re.search(r'<iframe sandbox="[^"]*allow-popups[^"]*"', body)

    # and its times are in Paris time, as on the list
    paris = row.created_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M:%S")
    utc = row.created_at.strftime("%d/%m/%Y %H:%M:%S")
    assert f"{paris} (heure de Paris)" in body and utc not in body
    listing = (await http.get("/dev/mails")).text
    assert "Créé le (heure de Paris)" in listing and paris in listing

    # and the list itself still may not be framed
    assert (
        "frame-ancestors 'none'"
        in (await http.get("/dev/mails")).headers["content-security-policy"]
    )


@needs_chromium
async def test_in_a_browser_the_html_part_shows_and_its_links_open(
    server: LiveServer, smtp: MailCatcher
) -> None:
    # Given a sent mail whose HTML part has a link to the site
    row = await enqueue_with_unsubscribe(server)
    await smtp.wait_for(1)
    async with chromium() as browser:
        # When a developer opens it on /dev/mails in Chromium
        created = await browser.call("Target.createTarget", url=f"{server.url}/dev/mails/{row.id}")
        frame = await browser.wait_for("iframe", "about:srcdoc")
        # Then the HTML part is shown in its frame
        title = await browser.evaluate(frame["targetId"], "document.title")
        assert title == "Confirmez votre adresse électronique"
        # When they click its link
        # (a click that lands while the page still lays out is lost: click again, as a
        # person would, a few times at most)
        for _ in range(3):
            await browser.click_in_frame(created["targetId"], frame["targetId"], "a")
            if await browser.appears("page", "/courriel/confirmer?jeton=a", within=10):
                break
        # Then the link opens in a new tab (a framed navigation would be refused by the
        # linked page's frame-ancestors), and the mail stays on screen
        opened = await browser.wait_for("page", "/courriel/confirmer?jeton=a")
        assert opened["targetId"] != created["targetId"]
        still = await browser.evaluate(frame["targetId"], "document.title")
        assert still == "Confirmez votre adresse électronique"
