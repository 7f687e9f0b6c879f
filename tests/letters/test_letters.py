"""Letters (« Mes courriers »): an adviser issues one, the candidat sees it live, gets a
mail that says a letter is waiting (never the letter), and downloads the PDF."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from models.letters import LetterKind
from resolvers.letters.issue import LetterText, issue_letter
from tests.conftest import LiveServer
from tests.support.accounts import account_row, sign_up_candidate, write_session
from tests.support.agencies import adviser_at, pdf_text, registered_candidate, two_agencies
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, links, text_part
from tests.support.dossiers import codes
from tests.support.ws import subscribed

LETTER_ISSUE = """
mutation ($input: LetterIssueInput!) {
  letterIssue(input: $input) {
    letter { id kind title read downloadUrl }
    userErrors { field code message }
  }
}
"""
LETTERS = """
query ($unreadOnly: Boolean) {
  viewer {
    dashboard { newSinceLastVisit { letters } }
    letters(first: 10, unreadOnly: $unreadOnly) {
      unreadCount
      edges { node { id kind title read readAt downloadUrl } }
      pageInfo { hasNextPage }
    }
  }
}
"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on Letter { title } } }"
EVENTS = "subscription { dashboardEvents { kind message subjectId } }"
BODY = (
    "Vous êtes convoqué(e) le 12 décembre à 10 h pour faire le point sur votre recherche.\n\n"
    "Munissez-vous de votre pièce d'identité et de votre CV à jour."
)


async def issue(api: GraphQL, token: str, **fields: Any) -> dict[str, Any]:
    data = await api(LETTER_ISSUE, {"input": fields}, token=token)
    payload: dict[str, Any] = data["letterIssue"]
    return payload


async def test_a_letter_arrives_live_with_a_mail_and_downloads_as_a_pdf(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat of Guingamp, with a confirmed e-mail, and an adviser of the agency
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01", name="Maëlle Le Bihan")
    candidat = await registered_candidate(
        api, http, smtp, agencies["GUI01"], "annaig.legoff@example.org"
    )
    async with subscribed(server, candidat.token, EVENTS) as ws:
        await until_listening(ws)
        # When the adviser issues a convocation
        payload = await issue(
            api, adviser, identifiant=candidat.identifiant, kind="CONVOCATION", body=BODY
        )
        assert payload["userErrors"] == []
        letter = payload["letter"]
        assert letter["kind"] == "CONVOCATION"
        assert letter["title"] == "Convocation à un entretien"
        # Then the candidat's dashboard hears it live
        event = (await ws.next_data("1"))["dashboardEvents"]
    assert event["kind"] == "LETTER_RECEIVED"
    assert event["message"] == "Nouveau courrier : « Convocation à un entretien »."
    assert event["subjectId"] == letter["id"]

    # And a mail says a letter is waiting, without the letter
    [mail] = await smtp.wait_for(1, to="annaig.legoff@example.org")
    assert mail["Subject"] == "Un nouveau courrier vous attend dans votre Espace Candidat"
    text = text_part(mail)
    assert "Convocation à un entretien" in text
    assert "convoqué(e) le 12 décembre" not in text and "pièce d'identité" not in text
    assert not any(part.get_content_type() == "application/pdf" for part in mail.walk())
    assert all("/courriers/" not in link for link in links(mail))

    # And « Mes courriers » lists it unread
    viewer = (await api(LETTERS, token=candidat.token))["viewer"]
    assert viewer["letters"]["unreadCount"] == 1
    assert viewer["dashboard"]["newSinceLastVisit"]["letters"] == 1
    [edge] = viewer["letters"]["edges"]
    assert edge["node"]["read"] is False

    # When the candidat downloads it
    url = edge["node"]["downloadUrl"]
    response = await http.get(url, headers=api.headers(candidat.token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    # Then the PDF is the letter, in French, with both addresses
    for expected in (
        "Agence de Guingamp",
        "3 rue de la Madeleine",
        "Madame Annaïg LE GOFF",
        "12 rue de la Trinité",
        "22200 GUINGAMP",
        "Objet : Convocation à un entretien",
        "Madame,",
        "Munissez-vous de votre pièce d'identité",
        "Maëlle Le Bihan",
    ):
        assert expected in text, (expected, text)
    # And the letter is now read
    viewer = (await api(LETTERS, {"unreadOnly": True}, token=candidat.token))["viewer"]
    assert viewer["letters"]["unreadCount"] == 0
    assert viewer["letters"]["edges"] == []
    viewer = (await api(LETTERS, token=candidat.token))["viewer"]
    assert viewer["letters"]["edges"][0]["node"]["read"] is True


async def test_only_the_candidat_and_only_advisers_of_their_agency(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat of Guingamp with a letter, an adviser of Brest and another candidat
    agencies = await two_agencies(server, api)
    guingamp = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "a@example.org")
    other = await sign_up_candidate(api)
    payload = await issue(
        api, guingamp, identifiant=candidat.identifiant, kind="DEMANDE_PIECES", body="Merci."
    )
    letter = payload["letter"]

    # When an adviser of another agency writes to them: not found, as for no one
    payload = await issue(
        api, brest, identifiant=candidat.identifiant, kind="CONVOCATION", body="Bonjour."
    )
    assert codes(payload) == {"identifiant": "NOT_FOUND"}
    payload = await issue(api, brest, identifiant="9999999Z", kind="CONVOCATION", body="x")
    assert codes(payload) == {"identifiant": "NOT_FOUND"}
    # A candidat cannot issue letters; an empty body is refused, field by field
    payload = await issue(
        api, other.token, identifiant=candidat.identifiant, kind="CONVOCATION", body="x"
    )
    assert codes(payload) == {None: "FORBIDDEN"}
    payload = await issue(
        api, guingamp, identifiant=candidat.identifiant, kind="CONVOCATION", body=" "
    )
    assert codes(payload) == {"body": "REQUIRED"}

    # Another candidat neither reads nor downloads it
    assert (await api(NODE, {"id": letter["id"]}, token=other.token))["node"] is None
    assert (await api(NODE, {"id": letter["id"]}, token=candidat.token))["node"]["title"]
    response = await http.get(letter["downloadUrl"], headers=api.headers(other.token))
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    response = await http.get(letter["downloadUrl"])
    assert response.status_code == 401
    # The adviser's own list is empty (letters are the candidat's)
    viewer = (await api(LETTERS, token=brest))["viewer"]
    assert viewer["letters"]["edges"] == [] and viewer["letters"]["unreadCount"] == 0
    # And the unread letter stayed unread
    viewer = (await api(LETTERS, token=candidat.token))["viewer"]
    assert viewer["letters"]["unreadCount"] == 1


async def test_the_system_issues_a_letter_through_issue_letter(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat of Guingamp (another domain, e.g. the registration's cessation job,
    # issues letters in its own transaction through issue_letter)
    agencies = await two_agencies(server, api)
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "c@example.org")
    account = await account_row(server, identifiant=candidat.identifiant)
    # (23:30 UTC on the 15th is already the 16th in Paris: the letter is dated the 16th)
    server.runtime.clock.set(datetime(2026, 11, 15, 23, 30, tzinfo=UTC))
    # When the system issues a cessation letter
    async with write_session(server) as session:
        await issue_letter(
            session,
            server.runtime,
            account.id,
            LetterKind.CESSATION_INSCRIPTION,
            LetterText(("Vous ne vous êtes pas actualisé(e) pour octobre 2026.",)),
        )
    # Then it is in « Mes courriers », dated by the clock, signed by the agency
    [mail] = await smtp.wait_for(1, to="c@example.org")
    assert "Cessation d'inscription, du 16 novembre 2026" in text_part(mail)
    [edge] = (await api(LETTERS, token=candidat.token))["viewer"]["letters"]["edges"]
    assert edge["node"]["kind"] == "CESSATION_INSCRIPTION"
    response = await http.get(edge["node"]["downloadUrl"], headers=api.headers(candidat.token))
    text = pdf_text(response.content)
    assert "Agence de Guingamp, le 16 novembre 2026" in text
    assert "Votre agence France Travail" in text
    assert "pas actualisé(e) pour octobre 2026" in text
