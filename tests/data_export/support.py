"""Helpers of the data export tests: the operations, a candidat with data in several
domains (dossier, CV and its file, a letter, a bank account, mails), reading the archive."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any, cast

import httpx

from models.bank import BankAccount
from models.letters import LetterKind
from resolvers.letters.issue import LetterText, issue_letter
from tests.conftest import LiveServer
from tests.messages.test_messages import START, mutate
from tests.messages.test_pages_and_files import send_files
from tests.support.accounts import Candidate, account_row, write_session
from tests.support.agencies import registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher, links
from tests.support.cvs import attach_pdf, create_cv, tiny_pdf

REQUEST = """
mutation {
  dataExportRequest {
    dataExport { id status requestedAt readyAt expiresAt }
    userErrors { field code message }
  }
}
"""
EXPORTS = """
query {
  viewer {
    dataExports(first: 10) {
      totalCount
      edges { node { id status requestedAt readyAt expiresAt downloadedAt sizeBytes } }
    }
  }
}
"""
DOSSIER_IDS = "{ viewer { dossiers(first: 5) { edges { node { id } } } } }"
EVENTS = "subscription { dashboardEvents { kind message } }"
IBAN = "FR7630006000011234567890189"
LETTER_LINE = "Votre dossier a bien été étudié par votre conseillère."
CV_BYTES = tiny_pdf("CV d'Annaig Le Goff")
ATTACHMENT = tiny_pdf("bulletin de salaire de novembre")


@dataclass
class Person:
    candidat: Candidate
    account_id: int
    email: str


async def candidat_with_data(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, email: str
) -> Person:
    """A registered candidat (confirmed e-mail) with a CV and its PDF, a conversation with
    their agency and a PDF attachment, a letter (mailed) and a bank account; the mails
    received so far are cleared from the catcher."""
    agencies = await two_agencies(server, api)
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], email)
    edges = (await api(DOSSIER_IDS, token=candidat.token))["viewer"]["dossiers"]["edges"]
    cv = await create_cv(api, candidat.token, edges[0]["node"]["id"])
    await attach_pdf(http, candidat.token, cv["id"], CV_BYTES)
    started = await mutate(api, START, candidat.token, kind="ADVISER", body="Mes justificatifs")
    assert started["userErrors"] == [], started
    conversation = started["conversation"]["id"]
    sent = await send_files(http, candidat.token, conversation, [("bulletin.pdf", ATTACHMENT)])
    assert sent["userErrors"] == [], sent
    account = await account_row(server, identifiant=candidat.identifiant)
    async with write_session(server) as session:
        await issue_letter(
            session,
            server.runtime,
            account.id,
            LetterKind.NOTIFICATION_DROITS,
            LetterText((LETTER_LINE,)),
        )
        session.add(
            BankAccount(
                account_id=account.id,
                iban=IBAN,
                bic="AGRIFRPP",
                holder="Annaïg Le Goff",
                effective_at=datetime(2026, 1, 5, tzinfo=UTC),
            )
        )
    await smtp.wait_for(1, to=email)  # the letter's notice
    with smtp.lock:
        smtp.messages.clear()
    return Person(candidat, account.id, email)


async def request_export(api: GraphQL, token: str) -> dict[str, Any]:
    payload: dict[str, Any] = (await api(REQUEST, token=token))["dataExportRequest"]
    return payload


async def exports(api: GraphQL, token: str) -> list[dict[str, Any]]:
    connection = (await api(EXPORTS, token=token))["viewer"]["dataExports"]
    return [edge["node"] for edge in connection["edges"]]


def download_link(mail: EmailMessage) -> str:
    [link] = [url for url in links(mail) if "/donnees/export/" in url]
    return link


class Archive:
    """The downloaded zip, read as the person would."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())

    def document(self, name: str) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.zip.read(f"donnees/{name}")))

    def rows(self, name: str, table: str) -> list[dict[str, Any]]:
        return cast(list[dict[str, Any]], self.document(name)["tables"][table])

    def read(self, path: str) -> bytes:
        return self.zip.read(path)

    def text(self) -> str:
        """Every entry's bytes as text (to look for what must not be there)."""
        return "\n".join(self.zip.read(n).decode("utf-8", "replace") for n in sorted(self.names))

    def mail(self, path: str) -> EmailMessage:
        return cast(EmailMessage, message_from_bytes(self.read(path), policy=default))
