"""Forgotten password: the reset link by e-mail (API and page), and the secret question."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from models.base import utcnow
from models.identity import PasswordResetToken
from resolvers.core.tokens import hash_token
from tests.conftest import LiveServer
from tests.support.accounts import (
    VIEWER,
    account_row,
    confirmed_candidate,
    event_rows,
    sign_in,
    sign_in_candidate,
    sign_up_candidate,
    sign_up_employer,
    write_session,
)
from tests.support.client import GraphQL, MailCatcher, html_part, links, text_part
from tests.support.dossiers import create_dossier

RESET_REQUEST = """
mutation ($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { accepted message userErrors { field message code } }
}
"""
RESET = """
mutation ($input: PasswordResetInput!) {
  passwordReset(input: $input) { ok identifiant userErrors { field message code } }
}
"""
NEW_PASSWORD = "une nouvelle phrase de passe"


async def request_reset(api: GraphQL, email: str, identifiant: str | None = None) -> dict[str, Any]:
    data = await api(RESET_REQUEST, {"input": {"email": email, "identifiant": identifiant}})
    payload: dict[str, Any] = data["passwordResetRequest"]
    return payload


def reset_token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


async def reset(api: GraphQL, token: str, password: str = NEW_PASSWORD) -> dict[str, Any]:
    data = await api(RESET, {"input": {"token": token, "newPassword": password}})
    payload: dict[str, Any] = data["passwordReset"]
    return payload


async def test_employer_resets_the_password_by_e_mail(
    api: GraphQL, server: LiveServer, smtp: MailCatcher
) -> None:
    employer = await sign_up_employer(api, email="rh@goelo.example")
    # when the employer asks for a link
    payload = await request_reset(api, "RH@goelo.example")
    assert payload["accepted"] is True
    assert "30 minutes" in payload["message"]
    # then a mail brings it
    [mail] = await smtp.wait_for(1, to="rh@goelo.example")
    assert mail["Subject"] == "Réinitialisation de votre mot de passe"
    url = links(mail)[0]
    assert url.startswith(server.url + "/mot-de-passe/reinitialiser?token=")
    assert url in html_part(mail)
    token = reset_token(url)
    assert len(token) >= 43  # 256 bits
    # when the link is used with a new password
    payload = await reset(api, token)
    assert payload == {"ok": True, "identifiant": None, "userErrors": []}
    # then every session is over, the new password signs in, and the link is spent
    assert (await api(VIEWER, token=employer.token))["viewer"] is None
    old = await sign_in(api, email=employer.email, password=employer.password)
    assert old["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await sign_in(api, email=employer.email, password=NEW_PASSWORD))["userErrors"] == []
    again = await reset(api, token, "encore une autre phrase")
    assert [e["code"] for e in again["userErrors"]] == ["TOKEN_USED"]
    account = await account_row(server, email=employer.email)
    [event] = [e for e in await event_rows(server, account.id) if e.kind == "password_reset"]
    assert event.payload == {"path": "email"}


async def test_candidat_resets_with_a_confirmed_dossier_e_mail(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidate = await confirmed_candidate(api, http, smtp, "annaig@example.org")
    # with the identifiant
    await request_reset(api, "annaig@example.org", candidate.identifiant)
    [mail] = await smtp.wait_for(1, to="annaig@example.org")
    # the mail reminds the identifiant
    assert candidate.identifiant in text_part(mail)
    payload = await reset(api, reset_token(links(mail)[0]))
    assert payload == {"ok": True, "identifiant": candidate.identifiant, "userErrors": []}
    signed = await sign_in_candidate(api, candidate.identifiant, NEW_PASSWORD, "22200")
    assert signed["userErrors"] == []
    # without the identifiant (forgotten): the mail gives it back
    smtp.messages.clear()
    await request_reset(api, "Annaig@Example.org")
    [mail] = await smtp.wait_for(1, to="annaig@example.org")
    assert candidate.identifiant in text_part(mail)


async def test_the_answer_is_the_same_whether_or_not_an_account_matches(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    candidate = await confirmed_candidate(api, http, smtp, "annaig@example.org")
    unconfirmed = await sign_up_candidate(api)
    await create_dossier(api, unconfirmed.token, email="pas.confirme@example.org")
    await smtp.wait_for(1, to="pas.confirme@example.org")
    answers = [
        await request_reset(api, "personne@example.org"),
        await request_reset(api, "personne@example.org", candidate.identifiant),
        await request_reset(api, "pas.confirme@example.org", unconfirmed.identifiant),
        await request_reset(api, "annaig@example.org", candidate.identifiant),
    ]
    assert all(answer == answers[0] for answer in answers)
    # only the last one (a confirmed address of that account) sends a mail
    await smtp.wait_for(1, to="annaig@example.org")
    assert len(smtp.for_address("personne@example.org")) == 0
    assert len(smtp.for_address("pas.confirme@example.org")) == 1  # its confirmation only


async def test_at_most_three_links_an_hour(api: GraphQL, smtp: MailCatcher) -> None:
    await sign_up_employer(api, email="rh@goelo.example")
    for _ in range(4):
        assert (await request_reset(api, "rh@goelo.example"))["accepted"]
    await smtp.wait_for(3, to="rh@goelo.example")
    await request_reset(api, "rh@goelo.example")
    assert len(smtp.for_address("rh@goelo.example")) == 3


async def test_expired_used_and_forged_tokens(
    api: GraphQL, server: LiveServer, smtp: MailCatcher
) -> None:
    await sign_up_employer(api, email="rh@goelo.example")
    for _ in range(3):
        await request_reset(api, "rh@goelo.example")
    mails = await smtp.wait_for(3, to="rh@goelo.example")
    expired, live, spare = (reset_token(links(mail)[0]) for mail in mails)
    async with write_session(server) as session:
        row = await session.scalar(
            select(PasswordResetToken).where(
                PasswordResetToken.token_hash == hash_token(server.settings.secret_key, expired)
            )
        )
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
    cases = {
        expired: "TOKEN_EXPIRED",
        live[:-2] + ("xx" if not live.endswith("xx") else "yy"): "TOKEN_INVALID",
        "x" * 10_000: "TOKEN_INVALID",
        "": "REQUIRED",
    }
    for token, code in cases.items():
        payload = await reset(api, token)
        assert payload["ok"] is False
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("token", code)]
    # a bad new password leaves the link usable
    weak = await reset(api, live, "court")
    assert [e["code"] for e in weak["userErrors"]] == ["PASSWORD_TOO_SHORT"]
    assert (await reset(api, live))["ok"] is True
    # a link works once, and a reset spends the account's other links too
    assert [e["code"] for e in (await reset(api, live))["userErrors"]] == ["TOKEN_USED"]
    assert [e["code"] for e in (await reset(api, spare))["userErrors"]] == ["TOKEN_USED"]


async def test_the_link_opens_a_page_that_resets_the_password(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    employer = await sign_up_employer(api, email="rh@goelo.example")
    await request_reset(api, "rh@goelo.example")
    [mail] = await smtp.wait_for(1, to="rh@goelo.example")
    url = links(mail)[0]
    # when the person follows the link
    page = await http.get(url)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "Choisir un nouveau mot de passe" in page.text
    hidden = re.search(r'name="token" value="([^"]+)"', page.text)
    assert hidden is not None and hidden.group(1) == reset_token(url)
    # and sends the form with a password that is too short, then a good one
    action = urlsplit(url).path
    short = await http.post(action, data={"token": hidden.group(1), "new_password": "court"})
    assert short.status_code == 400
    assert "au moins 12 caractères" in short.text
    done = await http.post(action, data={"token": hidden.group(1), "new_password": NEW_PASSWORD})
    # then the password is changed
    assert done.status_code == 200
    assert "Votre mot de passe a été changé" in done.text
    assert (await sign_in(api, email=employer.email, password=NEW_PASSWORD))["userErrors"] == []
    # and the link is dead
    used = await http.get(url)
    assert used.status_code == 400
    assert "déjà servi" in used.text


async def test_the_page_escapes_what_it_shows(http: httpx.AsyncClient) -> None:
    forged = await http.get("/mot-de-passe/reinitialiser", params={"token": "<script>x</script>"})
    assert forged.status_code == 400
    assert "<script>" not in forged.text
    posted = await http.post(
        "/mot-de-passe/reinitialiser",
        data={"token": '"><script>x</script>', "new_password": "court"},
    )
    assert posted.status_code == 400
    assert "<script>" not in posted.text
