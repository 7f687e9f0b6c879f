"""The issue's story end to end, with the example operations of graphql/operations/.

Sign up; sign in with identifiant + password + 22200; create «DRE1» in Guingamp; confirm the
address from the mail; recover the password by e-mail and by secret question; "Je signale une
erreur" removes an address. On SQLite and, with ESPACE_TEST_POSTGRES=1, on PostgreSQL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.support.client import GraphQL, MailCatcher, links

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"
PASSWORD = "Une longue phrase de passe 2026"


async def run(api: GraphQL, name: str, bearer: str | None = None, **variables: Any) -> Any:
    """Run the operation ``name`` of graphql/operations/ (files may hold several)."""
    defines = re.compile(rf"\b(query|mutation|subscription) {name}\b")
    file = next(p for p in OPERATIONS.glob("*.graphql") if defines.search(p.read_text()))
    response = await api.http.post(
        "/graphql",
        json={"query": file.read_text(), "variables": variables, "operationName": name},
        headers=api.headers(bearer),
    )
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    return body["data"]


def link_with(msg: Any, path: str) -> str:
    return next(link for link in links(msg) if path in link)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def sign_in(api: GraphQL, identifiant: str, password: str) -> str:
    data = await run(
        api, "SessionCreate", identifiant=identifiant, postalCode="22200", password=password
    )
    assert data["sessionCreate"]["userErrors"] == []
    token: str = data["sessionCreate"]["token"]
    return token


async def test_the_candidates_story(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # 1. Sign up: the identifiant is 7 digits and a letter
    signed_up = await run(api, "CandidateSignUp", password=PASSWORD, postalCode="22200")
    identifiant = signed_up["candidateSignUp"]["identifiant"]
    assert re.fullmatch(r"[0-9]{7}[A-Z]", identifiant)

    # 2. Sign in with identifiant + password + 22200
    token = await sign_in(api, identifiant, PASSWORD)
    viewer = (await run(api, "Viewer", token))["viewer"]
    assert viewer["identifiant"] == identifiant and viewer["kind"] == "CANDIDAT"

    # 3. «DRE1», with Guingamp chosen among the ten communes of 22200
    communes = (await run(api, "Communes", postalCode="22200"))["communes"]
    assert len(communes) == 10 and "Guingamp" in [c["name"] for c in communes]
    created = (await run(api, "DossierCreate", token))["dossierCreate"]
    assert created["userErrors"] == []
    assert created["dossier"]["commune"]["name"] == "Guingamp"
    assert created["dossier"]["emailConfirmed"] is False

    # 4. The confirmation mail arrives; its link confirms; viewer shows it confirmed
    address = "annaig.legoff@example.org"
    [mail] = await smtp.wait_for(1, to=address)
    page = await http.get(link_with(mail, "/courriel/confirmer"))
    assert page.status_code == 200 and "Votre adresse électronique est validée" in page.text
    mine = (await run(api, "MyDossiers", token))["viewer"]["dossiers"]["edges"]
    assert mine[0]["node"]["emailConfirmed"] is True
    assert mine[0]["node"]["capabilities"]["canSubscribeToOffers"]["allowed"] is True

    # 6a. Recovery by e-mail: the mail reminds the identifiant and carries a reset link
    asked = await run(api, "PasswordResetRequest", email=address)
    assert asked["passwordResetRequest"]["userErrors"] == []
    reset_mail = (await smtp.wait_for(2, to=address))[-1]
    assert identifiant in str(reset_mail.get_body(preferencelist=("plain",)))
    new_password = "Encore une autre phrase de passe"
    reset = await run(
        api,
        "PasswordReset",
        token=token_of(link_with(reset_mail, "/mot-de-passe/reinitialiser")),
        newPassword=new_password,
    )
    assert reset["passwordReset"]["ok"] is True
    assert (await run(api, "Viewer", token))["viewer"] is None  # every session ended
    token = await sign_in(api, identifiant, new_password)

    # 6b. Recovery by secret question
    await run(
        api,
        "SecretQuestionSet",
        token,
        question="Ma ville de naissance ?",
        answer="Plouisy",
        currentPassword=new_password,
    )
    third_password = "Troisième phrase de passe du jour"
    question = await run(api, "SecretQuestion", identifiant=identifiant, postalCode="22200")
    assert question["secretQuestion"] == "Ma ville de naissance ?"
    recovered = await run(
        api,
        "PasswordRecoverBySecretQuestion",
        identifiant=identifiant,
        postalCode="22200",
        answer="  PLOUISY ",
        newPassword=third_password,
    )
    assert recovered["passwordRecoverBySecretQuestion"]["ok"] is True
    token = await sign_in(api, identifiant, third_password)

    # 5. "Je signale une erreur" removes an address
    await smtp.wait_for(3, to=address)  # the notice of the recovery by secret question
    updated = await run(
        api,
        "DossierUpdate",
        token,
        id=mine[0]["node"]["id"],
        email="pas.moi@example.org",
        phoneMobile="06 12 34 56 78",
    )
    assert updated["dossierUpdate"]["userErrors"] == []
    [wrong] = await smtp.wait_for(1, to="pas.moi@example.org")
    report = link_with(wrong, "/courriel/signaler")
    form = await http.get(report)
    assert "Je demande la suppression de mon courriel dans cet espace personnel" in form.text
    done = await http.post(urlsplit(report).path, data={"token": token_of(report)})
    assert done.status_code == 200
    mine = (await run(api, "MyDossiers", token))["viewer"]["dossiers"]["edges"]
    assert mine[0]["node"]["email"] is None
