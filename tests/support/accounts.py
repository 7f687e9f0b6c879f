"""Test helpers to get signed-in accounts through the API, as a frontend would.

    candidate = await sign_up_candidate(api)
    data = await api(QUERY, token=candidate.token)

Every helper goes through GraphQL over HTTP (candidateSignUp / employerSignUp, then
sessionCreate) and checks the answer, so a test starts from a real session.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ground.db import begin_write
from models.dashboard import Event
from models.identity import Account
from tests.support.client import GraphQL, MailCatcher, links

if TYPE_CHECKING:
    import httpx

    from tests.conftest import LiveServer

DEFAULT_PASSWORD = "correct horse battery staple"

CANDIDATE_SIGN_UP = """
mutation ($input: CandidateSignUpInput!) {
  candidateSignUp(input: $input) { identifiant userErrors { field message code } }
}
"""

EMPLOYER_SIGN_UP = """
mutation ($input: EmployerSignUpInput!) {
  employerSignUp(input: $input) { email userErrors { field message code } }
}
"""

SESSION_CREATE = """
mutation ($input: SessionCreateInput!) {
  sessionCreate(input: $input) {
    token
    viewer { id kind identifiant email postalCode }
    userErrors { field message code }
  }
}
"""

VIEWER = "{ viewer { id kind identifiant email displayName postalCode } }"

_counter = itertools.count(1)


@dataclass
class Candidate:
    """A signed-up and signed-in candidat."""

    identifiant: str
    password: str
    postal_code: str
    token: str
    viewer_id: str
    email: str | None = None


@dataclass
class Employer:
    """A signed-up and signed-in employer (signs in with its e-mail)."""

    email: str
    password: str
    company_name: str
    token: str
    viewer_id: str


def unique_email(prefix: str = "personne") -> str:
    return f"{prefix}.{next(_counter)}@example.org"


async def sign_in(api: GraphQL, **credentials: str) -> dict[str, Any]:
    """Run sessionCreate with ``credentials`` (camelCase keys); returns its payload."""
    data = await api(SESSION_CREATE, {"input": credentials})
    payload: dict[str, Any] = data["sessionCreate"]
    return payload


async def sign_in_candidate(
    api: GraphQL, identifiant: str, password: str, postal_code: str
) -> dict[str, Any]:
    return await sign_in(api, identifiant=identifiant, password=password, postalCode=postal_code)


async def sign_up_candidate(
    api: GraphQL,
    *,
    postal_code: str = "22200",
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
) -> Candidate:
    """Sign up a candidat and sign it in; the returned token is ready for ``api(..., token=)``."""
    data = await api(
        CANDIDATE_SIGN_UP,
        {"input": {"password": password, "postalCode": postal_code, "email": email}},
    )
    payload = data["candidateSignUp"]
    assert payload["userErrors"] == [], payload
    identifiant = payload["identifiant"]
    session = await sign_in_candidate(api, identifiant, password, postal_code)
    assert session["userErrors"] == [], session
    return Candidate(
        identifiant=identifiant,
        password=password,
        postal_code=postal_code,
        token=session["token"],
        viewer_id=session["viewer"]["id"],
        email=email,
    )


async def sign_up_employer(
    api: GraphQL,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    company_name: str = "Conserverie du Goëlo",
) -> Employer:
    """Sign up an employer and sign it in."""
    address = email or unique_email("employeur")
    data = await api(
        EMPLOYER_SIGN_UP,
        {"input": {"email": address, "password": password, "companyName": company_name}},
    )
    payload = data["employerSignUp"]
    assert payload["userErrors"] == [], payload
    session = await sign_in(api, email=address, password=password)
    assert session["userErrors"] == [], session
    return Employer(
        email=payload["email"],
        password=password,
        company_name=company_name,
        token=session["token"],
        viewer_id=session["viewer"]["id"],
    )


async def account_row(
    server: LiveServer, *, identifiant: str | None = None, email: str | None = None
) -> Account:
    """The stored account (to check what the API cannot show, e.g. the password hash)."""
    stmt = select(Account).where(
        Account.identifiant == identifiant if identifiant else Account.email == email
    )
    async with server.runtime.sessionmaker() as session:
        account = (await session.scalars(stmt)).one()
    return account


async def event_rows(server: LiveServer, account_id: int) -> list[Event]:
    """The account's events, oldest first."""
    async with server.runtime.sessionmaker() as session:
        rows = await session.scalars(
            select(Event).where(Event.account_id == account_id).order_by(Event.id)
        )
        return list(rows.all())


async def confirmed_candidate(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, email: str, **dossier: Any
) -> Candidate:
    """A candidat with a dossier whose e-mail is confirmed by following the mail's link.

    The dossier is ``tests.support.dossiers.dre(email=email, **dossier)``; the
    confirmation mail is removed from ``smtp.messages`` afterwards.
    """
    from tests.support.dossiers import create_dossier

    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token, email=email, **dossier)
    [mail] = await smtp.wait_for(1, to=email)
    response = await http.get(links(mail)[0])
    assert response.status_code == 200, response.text
    with smtp.lock:
        smtp.messages.clear()
    candidate.email = email
    return candidate


@asynccontextmanager
async def write_session(server: LiveServer) -> AsyncIterator[AsyncSession]:
    """A write transaction on the server's database, to set up what the API cannot
    (e.g. move a timestamp back in time). BEGIN IMMEDIATE on SQLite, so that it waits
    for the server's own writes instead of failing."""
    async with server.runtime.sessionmaker() as session, session.begin():
        await begin_write(session)
        yield session
