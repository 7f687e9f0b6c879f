"""The confirmation mail of a dossier's e-mail address, followed as a person would."""

from __future__ import annotations

from email.message import EmailMessage
from html import unescape
from typing import Any

import httpx
import pytest

from models.dashboard import EventKind
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher, html_part, links, text_part
from tests.support.dossiers import codes, create_dossier, events

SUBJECT = "Confirmez l'adresse électronique de votre nouveau dossier de recherche d'emploi"
ADDRESS = "annaig.legoff@example.org"

MY_DOSSIERS = """
{
  viewer {
    dossiers {
      edges {
        node {
          id name email emailConfirmed emailConfirmedAt
          capabilities { canSubscribeToOffers { allowed reason } }
        }
      }
    }
  }
}
"""

UPDATE = """
mutation ($input: DossierUpdateInput!) {
  dossierUpdate(input: $input) {
    dossier { email emailConfirmed capabilities { canSubscribeToOffers { allowed reason } } }
    userErrors { field code }
  }
}
"""

RESEND = """
mutation ($input: EmailConfirmationResendInput!) {
  emailConfirmationResend(input: $input) { dossier { id } userErrors { field code message } }
}
"""


def confirm_link(msg: EmailMessage) -> str:
    return next(link for link in links(msg) if "/courriel/confirmer?token=" in link)


def report_link(msg: EmailMessage) -> str:
    return next(link for link in links(msg) if "/courriel/signaler?token=" in link)


async def my_dossier(api: GraphQL, token: str) -> dict[str, Any]:
    data = await api(MY_DOSSIERS, token=token)
    node: dict[str, Any] = data["viewer"]["dossiers"]["edges"][0]["node"]
    return node


async def test_the_mail_greets_names_the_dossier_and_its_link_confirms(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, server: LiveServer
) -> None:
    # Given a candidat who creates «DRE1» with an e-mail address
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token, email=ADDRESS)
    before = await my_dossier(api, candidat.token)
    assert before["emailConfirmed"] is False
    assert before["capabilities"]["canSubscribeToOffers"] == {
        "allowed": False,
        "reason": "EMAIL_NOT_CONFIRMED",
    }
    # Then the confirmation mail arrives: it greets, names the dossier, has two links
    (msg,) = await smtp.wait_for(1, to=ADDRESS)
    assert msg["Subject"] == SUBJECT
    text = text_part(msg)
    assert "Bonjour Madame Annaïg Le Goff," in text
    assert "«DRE1»" in text
    assert "Je signale une erreur" in text
    assert "Je signale une erreur" in html_part(msg)
    assert confirm_link(msg).startswith(server.url)
    assert report_link(msg) != confirm_link(msg)
    # When the person follows the confirmation link
    page = await http.get(confirm_link(msg))
    # Then a French page says so, and the dossier's address is confirmed
    assert page.status_code == 200
    assert "Votre adresse électronique est validée" in page.text
    assert page.headers["content-type"].startswith("text/html")
    after = await my_dossier(api, candidat.token)
    assert after["emailConfirmed"] is True
    assert after["emailConfirmedAt"] is not None
    assert after["capabilities"]["canSubscribeToOffers"] == {"allowed": True, "reason": None}
    (confirmed,) = await events(server, EventKind.EMAIL_CONFIRMED)
    assert confirmed.payload["email"] == ADDRESS


async def test_a_used_or_forged_link_gives_a_french_error_page(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token, email=ADDRESS)
    (msg,) = await smtp.wait_for(1, to=ADDRESS)
    assert (await http.get(confirm_link(msg))).status_code == 200
    # A used link
    used = await http.get(confirm_link(msg))
    assert used.status_code == 410
    assert "Ce lien a déjà été utilisé." in used.text
    # A forged or truncated one
    forged = await http.get("/courriel/confirmer", params={"token": "x" * 43})
    assert forged.status_code == 400
    assert "Ce lien n'est pas valide" in unescape(forged.text)
    assert (await http.get("/courriel/confirmer")).status_code == 400
    assert (await http.get("/courriel/signaler", params={"token": "y" * 500})).status_code == 400
    # A link checker's HEAD request confirms nothing
    assert (await http.head("/courriel/confirmer", params={"token": "z"})).status_code == 200


@pytest.mark.parametrize("settings_overrides", [{"email_confirmation_days": 0}], ids=["expired"])
async def test_an_expired_link_gives_a_french_error_page(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token, email=ADDRESS)
    (msg,) = await smtp.wait_for(1, to=ADDRESS)
    page = await http.get(confirm_link(msg))
    assert page.status_code == 410
    assert "Ce lien a expiré" in page.text
    assert (await my_dossier(api, candidat.token))["emailConfirmed"] is False


async def test_je_signale_une_erreur_removes_the_address_and_alerts_the_candidat(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, server: LiveServer
) -> None:
    # Given the mail sent to someone who did not ask for it
    candidat = await sign_up_candidate(api)
    await create_dossier(api, candidat.token, email=ADDRESS)
    (msg,) = await smtp.wait_for(1, to=ADDRESS)
    # When they follow "Je signale une erreur", they are offered the removal
    offer = await http.get(report_link(msg))
    assert offer.status_code == 200
    choice = "Je demande la suppression de mon courriel dans cet espace personnel"
    assert choice in offer.text
    assert '<form method="post"' in offer.text
    assert (await my_dossier(api, candidat.token))["email"] == ADDRESS
    # And when they confirm it (the form posts the token)
    token = report_link(msg).split("token=", 1)[1]
    done = await http.post("/courriel/signaler", data={"token": token})
    # Then the address is gone from the dossier and the candidat has an alert
    assert done.status_code == 200
    assert "Votre adresse électronique a été supprimée" in done.text
    dossier = await my_dossier(api, candidat.token)
    assert dossier["email"] is None
    assert dossier["capabilities"]["canSubscribeToOffers"]["reason"] == "NO_EMAIL"
    (removed,) = await events(server, EventKind.EMAIL_REMOVED)
    assert removed.payload["email"] == ADDRESS
    assert removed.payload["dossierName"] == "DRE1"
    # And neither link works any more
    assert (await http.get(confirm_link(msg))).status_code == 410
    assert (await http.post("/courriel/signaler", data={"token": token})).status_code == 410


async def test_changing_the_address_unconfirms_it_and_sends_a_new_mail(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given «DRE1» with a confirmed address
    candidat = await sign_up_candidate(api)
    created = await create_dossier(api, candidat.token, email=ADDRESS)
    (first,) = await smtp.wait_for(1, to=ADDRESS)
    await http.get(confirm_link(first))
    # When the address changes
    new_address = "annaig@exemple.bzh"
    changes = {"id": created["id"], "email": new_address}
    payload = (await api(UPDATE, {"input": changes}, token=candidat.token))["dossierUpdate"]
    # Then it is unconfirmed, offer subscriptions are suspended, and a new mail goes out
    assert payload["dossier"]["emailConfirmed"] is False
    assert payload["dossier"]["capabilities"]["canSubscribeToOffers"] == {
        "allowed": False,
        "reason": "EMAIL_NOT_CONFIRMED",
    }
    (second,) = await smtp.wait_for(1, to=new_address)
    assert second["Subject"] == SUBJECT
    assert (await http.get(confirm_link(second))).status_code == 200
    assert (await my_dossier(api, candidat.token))["emailConfirmed"] is True
    # And removing it unconfirms it too
    removed = {"id": created["id"], "email": None}
    payload = (await api(UPDATE, {"input": removed}, token=candidat.token))["dossierUpdate"]
    assert payload["dossier"]["emailConfirmed"] is False
    assert payload["dossier"]["capabilities"]["canSubscribeToOffers"]["reason"] == "NO_EMAIL"


async def test_a_link_to_a_replaced_address_has_expired(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidat = await sign_up_candidate(api)
    created = await create_dossier(api, candidat.token, email=ADDRESS)
    (old,) = await smtp.wait_for(1, to=ADDRESS)
    changes = {"id": created["id"], "email": "autre@example.org"}
    await api(UPDATE, {"input": changes}, token=candidat.token)
    page = await http.get(confirm_link(old))
    assert page.status_code == 410
    assert (await my_dossier(api, candidat.token))["emailConfirmed"] is False


async def test_resending_is_rate_limited(api: GraphQL, smtp: MailCatcher) -> None:
    # Given a dossier whose first mail went out
    candidat = await sign_up_candidate(api)
    created = await create_dossier(api, candidat.token, email=ADDRESS)
    await smtp.wait_for(1, to=ADDRESS)
    ref = {"input": {"dossierId": created["id"]}}
    # When the mail is sent again three times (email_resend_per_hour), each one arrives
    for _ in range(3):
        sent = (await api(RESEND, ref, token=candidat.token))["emailConfirmationResend"]
        assert sent["userErrors"] == []
    mails = await smtp.wait_for(4, to=ADDRESS)
    assert len({confirm_link(m) for m in mails}) == 4
    # Then a fourth time within the hour is throttled
    refused = (await api(RESEND, ref, token=candidat.token))["emailConfirmationResend"]
    assert codes(refused) == {"dossierId": "THROTTLED"}
    assert "réessayez" in refused["userErrors"][0]["message"]


async def test_resending_needs_an_unconfirmed_address(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidat = await sign_up_candidate(api)
    without = await create_dossier(api, candidat.token, name="Sans courriel")
    ref = {"input": {"dossierId": without["id"]}}
    no_email = (await api(RESEND, ref, token=candidat.token))["emailConfirmationResend"]
    assert codes(no_email) == {"dossierId": "NO_EMAIL"}
    confirmed = await create_dossier(api, candidat.token, email=ADDRESS)
    (msg,) = await smtp.wait_for(1, to=ADDRESS)
    await http.get(confirm_link(msg))
    ref = {"input": {"dossierId": confirmed["id"]}}
    already = (await api(RESEND, ref, token=candidat.token))["emailConfirmationResend"]
    assert codes(already) == {"dossierId": "EMAIL_ALREADY_CONFIRMED"}


async def test_html_in_names_comes_out_escaped_in_the_mail_and_the_pages(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a dossier whose names hold HTML
    candidat = await sign_up_candidate(api)
    name = "<script>alert(1)</script>"
    await create_dossier(api, candidat.token, name=name, prenom="<b>Annaïg</b>", email=ADDRESS)
    (msg,) = await smtp.wait_for(1, to=ADDRESS)
    # Then the HTML part escapes them, and the text part shows them as typed
    html = html_part(msg)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Annaïg&lt;/b&gt;" in html
    assert f"«{name}»" in text_part(msg)
    # And so do the pages behind both links
    offer = await http.get(report_link(msg))
    assert "<script>" not in offer.text
    assert "&lt;script&gt;" in offer.text
    confirmed = await http.get(confirm_link(msg))
    assert confirmed.status_code == 200
    assert "<script>" not in confirmed.text
    assert "&lt;script&gt;" in confirmed.text
