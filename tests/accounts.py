"""Test helpers to get signed-in accounts through the API, as a frontend would.

    candidate = await sign_up_candidate(api)
    data = await api(QUERY, token=candidate.token)

Every helper goes through GraphQL over HTTP (candidateSignUp / employerSignUp, then
sessionCreate) and checks the answer, so a test starts from a real session.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from tests.support import GraphQL

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
    return f"{prefix}.{next(_counter)}@exemple.fr"


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
