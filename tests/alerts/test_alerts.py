"""Abonnements aux offres: creating alerts (confirmed e-mail only), instant matching when an
employer publishes, the alert mail with its one-click unsubscribe, the live event, the
suspension while the e-mail changes, the 7-day preview and bad input."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer
from tests.support.accounts import (
    Candidate,
    confirmed_candidate,
    sign_up_candidate,
    sign_up_employer,
)
from tests.support.alerts import (
    ALERT_CREATE,
    BAKER_IN_22,
    create_alert,
    dossier_alerts,
    unsubscribe_link,
)
from tests.support.client import GraphQL, MailCatcher, html_part, links, text_part
from tests.support.dossiers import create_dossier
from tests.support.offers import numbers_of, post_offer
from tests.support.ws import subscribed

MY_DOSSIER = "{ viewer { dossiers(first: 1) { edges { node { id } } } } }"
LIVE_EVENTS = "subscription { dashboardEvents { kind message payload } }"
SEARCH = """
query ($criteria: OfferSearchCriteria!) {
  offerSearch(criteria: $criteria, first: 10) { totalCount edges { node { number } } }
}
"""
BY_NUMBER = "query ($n: String!) { offer(number: $n) { id number intitule status } }"
SAVE = """
mutation ($id: ID!) { classeurSave(input: {offerId: $id}) { userErrors { code } } }
"""
CLOSE = "mutation ($id: ID!) { offerClose(input: {id: $id}) { userErrors { code } } }"
EVENTS = "{ viewer { dashboard { events(first: 10) { edges { node { kind payload } } } } } }"
PREVIEW = """
query ($criteria: OfferSearchCriteria!) {
  alertPreview(criteria: $criteria) { count since userErrors { field code message } }
}
"""
EMAIL_UPDATE = """
mutation ($input: AlertEmailUpdateInput!) {
  alertEmailUpdate(input: $input) { dossier { email emailConfirmed } userErrors { field code } }
}
"""
UPDATE = """
mutation ($input: AlertUpdateInput!) {
  alertUpdate(input: $input) { alert { name frequency } userErrors { field code } }
}
"""
DELETE = """
mutation ($id: ID!) { alertDelete(input: {id: $id}) { deletedAlertId userErrors { code } } }
"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on Alert { name } } }"


async def dossier_of(api: GraphQL, candidate: Candidate) -> str:
    data = await api(MY_DOSSIER, token=candidate.token)
    dossier_id: str = data["viewer"]["dossiers"]["edges"][0]["node"]["id"]
    return dossier_id


async def subscriber(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, email: str
) -> tuple[Candidate, str]:
    candidate = await confirmed_candidate(api, http, smtp, email)
    return candidate, await dossier_of(api, candidate)


async def test_an_alert_needs_a_confirmed_email(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    unconfirmed = await create_dossier(api, candidate.token, email="alerte.1@example.org")
    without = await create_dossier(api, candidate.token, name="DRE2", email=None)
    for dossier, code in ((unconfirmed, "EMAIL_NOT_CONFIRMED"), (without, "NO_EMAIL")):
        data = await api(
            ALERT_CREATE,
            {
                "input": {
                    "dossierId": dossier["id"],
                    "name": "Boulanger",
                    "criteria": BAKER_IN_22,
                    "frequency": "INSTANT",
                }
            },
            token=candidate.token,
        )
        assert data["alertCreate"]["alert"] is None
        [error] = data["alertCreate"]["userErrors"]
        assert (error["field"], error["code"]) == ("dossierId", code)
        assert "courriel" in error["message"] or "adresse" in error["message"]


async def test_done_when_an_employer_posts_a_matching_offer(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat subscribed to bakers in the Côtes-d'Armor, on CDI, with a live client
    candidate, dossier_id = await subscriber(api, http, smtp, "alerte.boulanger@example.org")
    alert = await create_alert(api, candidate.token, dossier_id)
    assert (alert["status"], alert["email"]) == ("ACTIVE", "alerte.boulanger@example.org")
    employer = await sign_up_employer(api)
    async with subscribed(server, candidate.token, LIVE_EVENTS) as ws:
        # When the employer publishes an offer that matches, and one that does not
        await post_offer(api, employer.token, typeContrat="CDD", dureeContratMois=6)
        offer = await post_offer(api, employer.token)
        # Then the dashboard event is pushed live
        event = (await ws.next_data("1"))["dashboardEvents"]
    assert event["kind"] == "ALERT_MATCHED"
    assert event["payload"]["number"] == offer["number"]
    assert "Boulanger" in event["message"]

    # and one instant mail reaches the SMTP server, in French, text and HTML
    [mail] = await smtp.wait_for(1, to="alerte.boulanger@example.org")
    assert "Nouvelle offre pour votre abonnement" in str(mail["Subject"])
    text, html = text_part(mail), html_part(mail)
    assert "Boulanger" in text and offer["number"] in text and "Boulanger" in html
    assert "Se désabonner" in text and "Se désabonner" in html
    offer_link = next(u for u in links(mail) if offer["number"] in u)
    page = await http.get(offer_link)
    assert page.status_code == 200 and "Boulanger" in page.text
    assert str(mail["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert len(await smtp.wait_for(1, to="alerte.boulanger@example.org")) == 1
    # the headers are plain RFC 2369 / RFC 8058 bytes, not RFC 2047 encoded-words
    raw = smtp.raw_bytes(mail)
    url = unsubscribe_link(mail)
    assert len(url) > 78  # longer than a folded line: the case that used to be encoded
    assert b"\r\nList-Unsubscribe: <" + url.encode() + b">\r\n" in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert b"=?utf-8?" not in raw.split(b"\r\nList-Unsubscribe:")[1].split(b"\r\n")[0]

    # The offer is found by its number and by criteria, and goes into the classeur
    found = (await api(BY_NUMBER, {"n": offer["number"]}))["offer"]
    assert found["intitule"] == "Boulanger"
    searched = (await api(SEARCH, {"criteria": BAKER_IN_22}))["offerSearch"]
    assert numbers_of(searched) == [offer["number"]]
    saved = await api(SAVE, {"id": found["id"]}, token=candidate.token)
    assert saved["classeurSave"]["userErrors"] == []
    [listed] = await dossier_alerts(api, candidate.token, dossier_id)
    [match] = listed["matches"]["edges"]
    assert match["node"]["offer"]["number"] == offer["number"] and match["node"]["sentAt"]

    # Closing the offer tells the candidat who saved it
    closed = await api(CLOSE, {"id": found["id"]}, token=employer.token)
    assert closed["offerClose"]["userErrors"] == []
    events = (await api(EVENTS, token=candidate.token))["viewer"]["dashboard"]["events"]
    assert events["edges"][0]["node"]["kind"] == "SAVED_OFFER_CLOSED"

    # The unsubscribe link works in one click (RFC 8058), without signing in, once
    url = unsubscribe_link(mail)
    assert url in links(mail)
    confirm_page = await http.get(url)
    assert confirm_page.status_code == 200 and "Je me désabonne" in confirm_page.text
    assert len(await dossier_alerts(api, candidate.token, dossier_id)) == 1  # GET changes nothing
    one_click = await http.post(url, content=b"List-Unsubscribe=One-Click")
    assert one_click.status_code == 200 and "désabonné" in one_click.text
    assert await dossier_alerts(api, candidate.token, dossier_id) == []
    again = await http.post(url, content=b"List-Unsubscribe=One-Click")
    assert again.status_code == 404


async def test_unsubscribe_links_cannot_be_guessed(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidate, dossier_id = await subscriber(api, http, smtp, "alerte.devine@example.org")
    await create_alert(api, candidate.token, dossier_id)
    employer = await sign_up_employer(api)
    await post_offer(api, employer.token)
    [mail] = await smtp.wait_for(1, to="alerte.devine@example.org")
    url = unsubscribe_link(mail)
    token = url.split("token=")[1]
    alert_id, mac = token.split(".")
    assert len(mac) >= 43  # 256 bits
    forged = [
        f"{alert_id}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",
        f"{int(alert_id) + 1}.{mac}",
        alert_id,
        "",
        "1" * 40 + ".x",
    ]
    for bad in forged:
        response = await http.post("/abonnements/desabonnement", data={"token": bad})
        assert response.status_code == 404, bad
    assert len(await dossier_alerts(api, candidate.token, dossier_id)) == 1
    page = await http.post("/abonnements/desabonnement", data={"token": token})
    assert page.status_code == 200
    assert await dossier_alerts(api, candidate.token, dossier_id) == []


async def test_changing_the_email_suspends_the_alert_until_confirmed(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidate, dossier_id = await subscriber(api, http, smtp, "alerte.ancienne@example.org")
    await create_alert(api, candidate.token, dossier_id)
    employer = await sign_up_employer(api)

    # « Modifier mon courriel d'abonnement »
    changed = await api(
        EMAIL_UPDATE,
        {"input": {"dossierId": dossier_id, "email": "alerte.nouvelle@example.org"}},
        token=candidate.token,
    )
    assert changed["alertEmailUpdate"]["userErrors"] == []
    assert changed["alertEmailUpdate"]["dossier"]["emailConfirmed"] is False
    [alert] = await dossier_alerts(api, candidate.token, dossier_id)
    assert (alert["status"], alert["email"]) == ("SUSPENDED", "alerte.nouvelle@example.org")

    # While suspended, a matching offer is neither matched nor mailed
    await post_offer(api, employer.token)
    [confirmation] = await smtp.wait_for(1, to="alerte.nouvelle@example.org")
    [alert] = await dossier_alerts(api, candidate.token, dossier_id)
    assert alert["matches"]["edges"] == []

    # Confirming the new address resumes it
    assert (await http.get(links(confirmation)[0])).status_code == 200
    [alert] = await dossier_alerts(api, candidate.token, dossier_id)
    assert alert["status"] == "ACTIVE"
    second = await post_offer(api, employer.token, intitule="Boulanger de nuit")
    mails = await smtp.wait_for(2, to="alerte.nouvelle@example.org")
    assert second["number"] in text_part(mails[-1])
    assert smtp.for_address("alerte.ancienne@example.org") == []

    refused = await api(
        EMAIL_UPDATE, {"input": {"dossierId": dossier_id, "email": ""}}, token=candidate.token
    )
    assert refused["alertEmailUpdate"]["userErrors"][0]["code"] == "REQUIRED"
