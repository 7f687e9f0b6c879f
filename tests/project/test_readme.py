"""The README documents every setting and the two commands, and its five-minute tour works
word for word: the example operations of ``graphql/operations/`` with the README's variables,
against a server seeded with the demo data, the mails read on ``/dev/mails``."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import Any

import httpx

from espace.cli.demo import DEMO_PASSWORD, seed
from tests.conftest import LiveServer
from tests.support.applications import until_listening
from tests.support.ws import subscribed

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATIONS = ROOT / "graphql" / "operations"
TOUR_PASSWORD = "Un mot de passe assez long 2026"
TOUR_EMAIL = "annaig.legoff@example.org"


def test_every_setting_is_documented() -> None:
    from ground.settings import Settings

    missing = [n for n in Settings.model_fields if f"`ESPACE_{n.upper()}`" not in README]
    assert missing == []


def test_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README


def test_what_a_fresh_machine_needs_and_how_the_demo_behaves() -> None:
    flat = " ".join(README.split())
    assert "`make`, Python ≥ 3.11 with its `venv` module" in flat
    assert "access to PyPI on the first run" in flat
    assert "`PORT=8001 make demo`" in flat
    assert "starts from fresh demo data on every run" in flat
    assert "prints each step" in flat


def operation(name: str) -> str:
    """An example operation as the tour says to run it (the whole file)."""
    return (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")


async def run(
    http: httpx.AsyncClient,
    name: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    operation_name: str | None = None,
    document: str | None = None,
) -> dict[str, Any]:
    """Run an example operation as GraphiQL does; fail on any GraphQL error."""
    body: dict[str, Any] = {"query": document or operation(name), "variables": variables or {}}
    if operation_name:
        body["operationName"] = operation_name
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


async def open_mail(http: httpx.AsyncClient, subject: str) -> list[str]:
    """Open ``/dev/mails``, click the mail with this subject; the links of its text part."""
    listing = (await http.get("/dev/mails")).text
    rows = re.findall(r'<a href="(/dev/mails/\d+)">([^<]+)</a>', listing)
    found = [href for href, text in rows if html.unescape(text) == subject]
    assert found, f"no mail « {subject} » on /dev/mails"
    page = (await http.get(found[0])).text
    text = page.split("<h2>Version texte</h2>")[1].split("<h2>")[0]
    return [html.unescape(u) for u in re.findall(r'<a href="([^"]+)"', text)]


async def test_the_five_minute_tour(server: LiveServer, http: httpx.AsyncClient) -> None:
    # 1. make demo: the demo data
    accounts = {a.label: a for a in await seed(server.runtime)}

    # 2. Communes of 22200: ten, Guingamp among them
    communes = (await run(http, "Communes", {"postalCode": "22200"}))["communes"]
    assert len(communes) == 10 and "Guingamp" in [c["name"] for c in communes]

    # 3. Sign up at 22200 with an e-mail: the identifiant comes back, and by mail
    signed_up = await run(
        http,
        "CandidateSignUp",
        {"password": TOUR_PASSWORD, "postalCode": "22200", "email": TOUR_EMAIL},
    )
    identifiant = signed_up["candidateSignUp"]["identifiant"]
    assert identifiant

    # 4. Sign in with identifiant, password and postal code
    variables = {"identifiant": identifiant, "password": TOUR_PASSWORD, "postalCode": "22200"}
    session = (await run(http, "SessionCreate", variables))["sessionCreate"]
    token = session["token"]
    assert session["userErrors"] == [] and token

    # 5. DossierCreate, first with a bad phone, a wrong commune and a birth date in 1850
    wrong = (
        operation("DossierCreate")
        .replace('"06 12 34 56 78"', '"12"')
        .replace('communeInsee: "22070"', 'communeInsee: "29019"')
        .replace('"1990-05-17"', '"1850-05-17"')
    )
    refused = (await run(http, "", token=token, document=wrong))["dossierCreate"]
    assert refused["dossier"] is None
    fields = {e["field"] for e in refused["userErrors"]}
    assert {"phoneMobile", "communeInsee", "birthDate"} <= fields
    created = (await run(http, "DossierCreate", token=token))["dossierCreate"]
    assert created["userErrors"] == []
    dossier_id = created["dossier"]["id"]

    # 6. /dev/mails: the confirmation mail; click its first link
    subject = "Confirmez l'adresse électronique de votre nouveau dossier de recherche d'emploi"
    links = await eventually_open_mail(http, subject)
    assert any("signaler" in link for link in links)
    assert (await http.get(links[0])).status_code == 200
    [mine] = (await run(http, "MyDossiers", token=token))["viewer"]["dossiers"]["edges"]
    assert mine["node"]["emailConfirmed"] is True
    assert mine["node"]["capabilities"]["canSubscribeToOffers"]["allowed"] is True

    # 7. The dashboard, the visit, and a live event when the dossier changes
    dashboard = (await run(http, "Dashboard", token=token))["viewer"]["dashboard"]
    assert dashboard["events"]["edges"]
    assert (await run(http, "DashboardVisit", token=token))["dashboardVisit"]["userErrors"] == []
    async with subscribed(server, token, operation("DashboardEvents")) as ws:
        await until_listening(ws)
        update = (
            'mutation { dossierUpdate(input: {id: "%s", name: "DRE2"}) { userErrors { code } } }'
        )
        await run(http, "", token=token, document=update % dossier_id)
        assert (await ws.next_data("1"))["dashboardEvents"]["kind"] == "DOSSIER_UPDATED"

    # 8. The demo adviser publishes an announcement, received live
    adviser = accounts["Conseiller"]
    adviser_token = await sign_in(http, email=adviser.login)
    async with subscribed(server, token, operation("LiveAnnouncements")) as ws:
        await until_listening(ws)
        announcement = {"kind": "ACTUALITE", "title": "Atelier CV", "body": "Mardi à 10 h."}
        published = await run(
            http, "AnnouncementPublish", {"input": announcement}, token=adviser_token
        )
        assert published["announcementPublish"]["userErrors"] == []
        assert (await ws.next_data("1"))["announcements"]["title"] == "Atelier CV"

    # 9. Offers and alerts: an instant alert, a matching offer, the alert mail
    criteria = {"departements": ["22"], "keywords": "boulanger"}
    preview = await run(http, "Alerts", {"criteria": criteria}, token, "AlertPreview")
    assert preview["alertPreview"]["userErrors"] == []
    alert = {"dossierId": dossier_id, "name": "Boulanger", "criteria": criteria}
    alert_vars = {**alert, "frequency": "INSTANT"}
    created_alert = await run(http, "Alerts", alert_vars, token, "AlertCreate")
    assert created_alert["alertCreate"]["userErrors"] == []
    employer_token = await sign_in(http, email=accounts["Employeur"].login)
    async with subscribed(server, token, operation("DashboardEvents")) as ws:
        await until_listening(ws)
        offer = (await run(http, "OfferCreate", token=employer_token))["offerCreate"]["offer"]
        publish = await run(
            http, "OfferStatus", {"id": offer["id"]}, employer_token, "OfferPublish"
        )
        assert publish["offerPublish"]["userErrors"] == []
        assert (await ws.next_data("1"))["dashboardEvents"]["kind"] == "ALERT_MATCHED"

    # 10. A CV, published; the employer's CvSearch finds it in Guingamp, next to the seed's
    cv = (await run(http, "CvCreate", {"dossierId": dossier_id}, token))["cvCreate"]["cv"]
    shown = await run(http, "CvPublish", {"id": cv["id"], "visibility": "PUBLISHED"}, token)
    assert shown["cvPublish"]["userErrors"] == []
    found = (await run(http, "CvSearch", token=employer_token))["cvSearch"]
    titles = {e["node"]["title"] for e in found["edges"]}
    assert {"Boulangère expérimentée", "Boulangère, pains au levain"} <= titles
    #     and the new candidat writes to an adviser: the demo adviser of Guingamp reads it
    message = {"kind": "ADVISER", "body": "Bonjour, je cherche un emploi de boulangère."}
    started = await run(http, "Messages", message, token, "ConversationStart")
    assert started["conversationStart"]["userErrors"] == []
    inbox = await run(http, "Messages", {}, adviser_token, "Conversations")
    assert len(inbox["viewer"]["conversations"]["edges"]) == 1


async def eventually_open_mail(http: httpx.AsyncClient, subject: str) -> list[str]:
    """The outbox sends after the commit: wait for the mail to be listed."""
    for _ in range(100):
        try:
            return await open_mail(http, subject)
        except AssertionError:
            await asyncio.sleep(0.05)
    return await open_mail(http, subject)


async def sign_in(http: httpx.AsyncClient, email: str) -> str:
    """Step 8's sign-in of a demo account (e-mail and the demo password)."""
    variables = {"email": email, "password": DEMO_PASSWORD}
    session = (await run(http, "SessionCreate", variables))["sessionCreate"]
    assert session["userErrors"] == [], session
    token: str = session["token"]
    return token
