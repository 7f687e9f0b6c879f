"""Helpers of the erasure tests: a rich account seeded through the API, and the scan of
every table and of the files directory for a person's identifiers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import inspect, text

from tests.actualisation.support import SUBMIT as DECLARE
from tests.actualisation.support import declaration, mutate
from tests.conftest import LiveServer
from tests.journeys.unemployment_steps import ATTEST, BANK_CHANGE, LETTER_ISSUE, RIGHTS_SET
from tests.support.accounts import Candidate
from tests.support.agencies import registered_candidate
from tests.support.applications import SUBMIT as APPLY
from tests.support.client import GraphQL, MailCatcher
from tests.support.cvs import attach_pdf, create_cv, tiny_pdf

ACCOUNT_DELETE = """
mutation ($input: AccountDeleteInput!) {
  accountDelete(input: $input) { requestedAt dueAt userErrors { field code message } }
}
"""
SIGN_IN = """
mutation ($input: SessionCreateInput!) {
  sessionCreate(input: $input) { token accountDeletionCancelled userErrors { code } }
}
"""
DOSSIERS = "{ viewer { dossiers(first: 5) { edges { node { id nom } } } } }"
QUESTION = """
mutation ($body: String!) {
  conversationStart(input: {kind: ADVISER, topic: INDEMNISATION, body: $body}) {
    conversation { id } userErrors { code }
  }
}
"""
EMPLOYER_VIEW = """
query ($id: ID!) {
  node(id: $id) { ... on Application { message cv { id } applicant { nom prenom email } } }
}
"""


@dataclass
class Person:
    """A seeded candidat and the identifiers a scan must not find after erasure."""

    candidate: Candidate
    nom: str
    prenom: str
    email: str
    phone: str
    iban: str
    application_id: str

    def needles(self) -> list[str]:
        digits = self.phone.replace(" ", "")
        return [
            self.nom.lower(),
            self.prenom.lower(),
            self.email.lower(),
            digits,
            "+33" + digits[1:],
            self.phone,
            self.candidate.identifiant.lower(),
            self.iban.replace(" ", "").lower(),
            self.iban.lower(),
        ]


async def seed(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    *,
    agency_id: str,
    adviser: str,
    offer_id: str,
    nom: str,
    prenom: str,
    email: str,
    phone: str,
    iban: str,
) -> Person:
    """A registered candidat with rights open, a dossier, a CV with its file, an application,
    a bank account, a declaration (and its payment), a letter, an attestation, a question to
    the adviser. The clock must be in a declaration window (e.g. 29 September 2026)."""
    candidate = await registered_candidate(
        api, http, smtp, agency_id, email, nom=nom, prenom=prenom, phoneMobile=phone
    )
    token = candidate.token
    dossier_id = (await api(DOSSIERS, token=token))["viewer"]["dossiers"]["edges"][0]["node"]["id"]
    cv = await create_cv(api, token, dossier_id, title=f"CV de {nom}")
    await attach_pdf(http, token, cv["id"], tiny_pdf(f"{nom} {email} {phone}"))
    applied = (
        await api(
            APPLY,
            {
                "input": {
                    "offerId": offer_id,
                    "dossierId": dossier_id,
                    "cvId": cv["id"],
                    "message": f"Bonjour, je suis {nom}, joignable au {phone}.",
                }
            },
            token=token,
        )
    )["applicationSubmit"]
    assert applied["userErrors"] == [], applied
    rights = {
        "identifiant": candidate.identifiant,
        "state": "OUVERT",
        "kind": "ARE",
        "dailyNetRate": "38,45",
        "startDate": "2026-09-01",
        "daysGranted": 365,
        "referenceSalary": "2 000",
    }
    assert (await mutate(api, RIGHTS_SET, adviser, **rights))["userErrors"] == []
    bank = await mutate(
        api,
        BANK_CHANGE,
        token,
        iban=iban,
        holder=f"{prenom} {nom}",
        currentPassword=candidate.password,
    )
    assert bank["userErrors"] == [], bank
    assert (await mutate(api, DECLARE, token, **declaration()))["userErrors"] == []
    letter = await mutate(
        api,
        LETTER_ISSUE,
        adviser,
        identifiant=candidate.identifiant,
        kind="NOTIFICATION_DROITS",
        body=f"Madame {nom}, vos droits sont ouverts.",
    )
    assert letter["userErrors"] == [], letter
    attest = await mutate(api, ATTEST, token, kind="SITUATION")
    assert attest["userErrors"] == [], attest
    asked = await api(QUESTION, {"body": f"Bonjour, ici {nom} ({email})."}, token=token)
    assert asked["conversationStart"]["userErrors"] == [], asked
    return Person(candidate, nom, prenom, email, phone, iban, applied["application"]["id"])


async def all_rows(server: LiveServer) -> dict[str, list[str]]:
    """Every row of every table of the database (as the database lists them, the search
    tables included), each as one lower-case string of all its values."""
    async with server.runtime.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        found: dict[str, list[str]] = {}
        for name in names:
            rows = (await conn.execute(text(f'SELECT * FROM "{name}"'))).all()
            found[name] = [
                json.dumps([str(v) for v in row], ensure_ascii=False).lower() for row in rows
            ]
    return found


def traces(rows: dict[str, list[str]], files: Path, needles: list[str]) -> list[str]:
    """Where any needle is found: ``table: needle`` or ``file: needle``."""
    hits = [
        f"{table}: {n}"
        for table, values in rows.items()
        for v in values
        for n in needles
        if n.lower() in v
    ]
    for path in files.rglob("*") if files.exists() else []:
        if path.is_file():
            data = path.read_bytes().lower()
            hits += [f"file {path.name}: {n}" for n in needles if n.lower().encode() in data]
    return sorted(set(hits))


def upload_dir(server: LiveServer) -> Path:
    path: Path = server.runtime.settings.upload_dir
    return path


def payload(data: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = next(iter(data.values()))
    return value
