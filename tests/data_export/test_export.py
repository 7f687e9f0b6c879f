"""« Mes données »: a candidat asks for the archive of their data, hears live that it is
ready, follows the mailed link with their bearer token and reads everything in it; the link
works once, never for another account, and not after 7 days (the runtime's clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.conftest import LiveServer
from tests.data_export.support import (
    ATTACHMENT,
    CV_BYTES,
    EVENTS,
    IBAN,
    LETTER_LINE,
    Archive,
    candidat_with_data,
    download_link,
    exports,
    request_export,
)
from tests.support.accounts import sign_up_candidate
from tests.support.agencies import pdf_text
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.dossiers import create_dossier
from tests.support.ws import subscribed

EMAIL = "annaig.legoff@example.org"
NODE = "query ($id: ID!) { node(id: $id) { id ... on DataExport { status } } }"
RECTIFY = """
mutation ($civilite: Civilite!, $nom: String!, $prenom: String!) {
  identityRectify(input: { civilite: $civilite, nom: $nom, prenom: $prenom }) {
    userErrors { field code }
  }
}"""


async def test_the_archive_arrives_by_mail_and_holds_the_candidats_data(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat with a dossier, a CV and its PDF, a letter and a bank account, and
    # another candidat whose data must not show
    server.runtime.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    person = await candidat_with_data(server, api, http, smtp, EMAIL)
    token = person.candidat.token
    # who corrected her prénom (rectification, art. 16)
    names = {"civilite": "MADAME", "nom": "Le Goff", "prenom": "Annaïg-Marie"}
    rectified = (await api(RECTIFY, names, token=token))["identityRectify"]
    assert rectified["userErrors"] == [], rectified
    other = await sign_up_candidate(api)
    await create_dossier(api, other.token, nom="Autrepersonne", prenom="Gwenola")
    async with subscribed(server, token, EVENTS) as ws:
        await until_listening(ws)
        # When the candidat asks for the archive
        payload = await request_export(api, token)
        assert payload["userErrors"] == []
        assert payload["dataExport"]["status"] == "PENDING"
        # Then the dashboard hears live that it is ready
        event = (await ws.next_data("1", timeout=30))["dashboardEvents"]
    assert event["kind"] == "DATA_EXPORT_READY"
    assert "archive de vos données est prête" in event["message"]

    # And a mail brings the link, valid 7 days
    [mail] = await smtp.wait_for(1, to=EMAIL, timeout=30)
    assert mail["Subject"] == "L'archive de vos données est prête"
    assert "8 décembre 2026" in text_part(mail) or "08/12/2026" in text_part(mail)
    link = download_link(mail)
    [shown] = await exports(api, token)
    assert shown["status"] == "READY" and shown["sizeBytes"] > 0
    assert shown["expiresAt"].startswith("2026-12-08T09:00")

    # When someone follows the link without a session, or with another account's: refused
    assert (await http.get(link)).status_code == 401
    refused = await http.get(link, headers=api.headers(other.token))
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # When the candidat follows it with their bearer token
    response = await http.get(link, headers=api.headers(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    archive = Archive(response.content)

    # Then it holds a French README describing each file's fields
    readme = archive.read("LISEZMOI.md").decode()
    assert "## `donnees/cv.json` — Vos CV" in readme
    assert "- `iban` (texte) : IBAN" in readme
    assert "`password_hash` : empreinte du mot de passe" in readme
    # the account and its sign-ins, without secrets
    [account] = archive.rows("compte.json", "accounts")
    assert account["identifiant"] == person.candidat.identifiant
    assert "password_hash" not in account
    sessions = archive.rows("compte.json", "sessions")
    assert len(sessions) >= 1 and all("token_hash" not in s for s in sessions)
    # the dossier
    [dossier] = archive.rows("dossiers.json", "dossiers")
    assert dossier["prenom"] == "Annaïg-Marie" and dossier["email"] == EMAIL
    # the CV and its file, byte for byte
    [cv] = archive.rows("cv.json", "cvs")
    assert "file_key" not in cv and cv["fichier"].startswith("fichiers/cv/")
    assert archive.read(cv["fichier"]) == CV_BYTES
    # the conversation with the agency, and the attachment sent
    [conversation] = archive.rows("messages.json", "conversations")
    assert conversation["candidat_id"] == person.account_id
    bodies = [m["body"] for m in archive.rows("messages.json", "messages")]
    assert bodies == ["Mes justificatifs", "Ci-joint."]
    [attachment] = archive.rows("messages.json", "message_attachments")
    assert attachment["fichier"] == f"fichiers/pieces-jointes/{attachment['id']}-bulletin.pdf"
    assert archive.read(attachment["fichier"]) == ATTACHMENT
    # the letter and its PDF
    [letter] = archive.rows("courriers.json", "letters")
    assert LETTER_LINE in pdf_text(archive.read(letter["fichier"]))
    # the bank account, in full: it is the person's own
    [bank] = archive.rows("indemnisation.json", "bank_accounts")
    assert bank["iban"] == IBAN
    # the dashboard's events
    kinds = {e["kind"] for e in archive.rows("tableau_de_bord.json", "events")}
    assert {"dossier_created", "cv_created", "letter_received"} <= kinds
    # the history of changes to her personal data, and the access log
    changes = archive.rows("historique_et_acces.json", "personal_data_changes")
    assert any(c["new_value"] == "Annaïg-Marie" for c in changes), changes
    assert archive.rows("historique_et_acces.json", "access_log") == []
    # the mails sent to the candidat, as sent
    mails = archive.rows("mails.json", "outbox_mails")
    templates = {m["template"] for m in mails}
    assert {"email_confirmation", "letter_received"} <= templates
    assert "data_export_ready" not in templates
    notice = next(m for m in mails if m["template"] == "letter_received")
    assert archive.mail(notice["fichier"])["Subject"] == notice["subject"]
    # and nothing of the other candidat
    everything = archive.text()
    assert "Autrepersonne" not in everything and other.identifiant not in everything

    # When the link is followed again: it has served
    again = await http.get(link, headers=api.headers(token))
    assert again.status_code == 410
    assert again.json()["errors"][0]["extensions"]["code"] == "LINK_USED"
    assert "déjà servi" in again.json()["errors"][0]["message"]
    [shown] = await exports(api, token)
    assert shown["status"] == "DOWNLOADED" and shown["downloadedAt"] is not None


async def test_a_link_expires_after_seven_days(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a ready archive
    clock = server.runtime.clock
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    person = await candidat_with_data(server, api, http, smtp, EMAIL)
    assert (await request_export(api, person.candidat.token))["userErrors"] == []
    [mail] = await smtp.wait_for(1, to=EMAIL, timeout=30)
    link = download_link(mail)
    # When 7 days and a minute have passed
    clock.advance(timedelta(days=7, minutes=1))
    # Then the link is refused as expired, and the request shows it
    response = await http.get(link, headers=api.headers(person.candidat.token))
    assert response.status_code == 410
    assert response.json()["errors"][0]["extensions"]["code"] == "LINK_EXPIRED"
    [shown] = await exports(api, person.candidat.token)
    assert shown["status"] == "EXPIRED" and shown["downloadedAt"] is None
    # And the request is the candidat's alone, by its global ID too
    variables = {"id": shown["id"]}
    found = (await api(NODE, variables, token=person.candidat.token))["node"]
    assert found == {"id": shown["id"], "status": "EXPIRED"}
    other = await sign_up_candidate(api)
    assert (await api(NODE, variables, token=other.token))["node"] is None
