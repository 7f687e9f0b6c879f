"""Helpers for the application and proposal tests: a candidat with a dossier and a CV, an
employer with a published offer, and the GraphQL documents both test modules send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strawberry import relay

from tests.conftest import LiveServer
from tests.support.accounts import Candidate, Employer, sign_up_candidate, sign_up_employer
from tests.support.client import GraphQL
from tests.support.cvs import create_cv, publish_cv
from tests.support.dossiers import create_dossier
from tests.support.offers import post_offer
from tests.support.ws import WSClient

APPLICATION_FIELDS = """
  id status message submittedAt cv { id title }
  offer { id number intitule }
  history { status by message at }
  applicant { nom prenom email phoneMobile { e164 } }
"""
SUBMIT = f"""
mutation ($input: ApplicationSubmitInput!) {{
  applicationSubmit(input: $input) {{
    application {{ {APPLICATION_FIELDS} }} userErrors {{ field code message }}
  }}
}}
"""
STATUS_CHANGE = f"""
mutation ($input: ApplicationStatusChangeInput!) {{
  applicationStatusChange(input: $input) {{
    application {{ {APPLICATION_FIELDS} }} userErrors {{ field code message }}
  }}
}}
"""
WITHDRAW = f"""
mutation ($input: ApplicationWithdrawInput!) {{
  applicationWithdraw(input: $input) {{
    application {{ {APPLICATION_FIELDS} }} userErrors {{ field code message }}
  }}
}}
"""
DASHBOARD_EVENTS = """
subscription ($after: String) {
  dashboardEvents(after: $after) { kind message subjectId payload }
}
"""


@dataclass
class Applicant:
    """A candidat with one dossier (with a phone number) and one CV in it."""

    candidate: Candidate
    dossier_id: str
    cv_id: str


def local_id(global_id: str) -> int:
    return int(relay.GlobalID.from_id(global_id).node_id)


async def add_cv(
    api: GraphQL, candidate: Candidate, dossier_id: str, visibility: str = "PRIVATE"
) -> str:
    """A CV in the dossier, with the given visibility; its global ID."""
    cv = await create_cv(api, candidate.token, dossier_id)
    if visibility != "PRIVATE":
        await publish_cv(api, candidate.token, cv["id"], visibility)
    cv_id: str = cv["id"]
    return cv_id


async def applicant(
    server: LiveServer, api: GraphQL, visibility: str = "PRIVATE", **dossier: Any
) -> Applicant:
    """A candidat with a dossier (``dre(**dossier)``) and a CV in it, all through the API
    (``server`` is no longer needed; the signature stays for the modules that call it)."""
    candidate = await sign_up_candidate(api)
    created = await create_dossier(api, candidate.token, **dossier)
    cv_id = await add_cv(api, candidate, created["id"], visibility)
    return Applicant(candidate, created["id"], cv_id)


async def employer_with_offer(
    api: GraphQL, company_name: str = "Boulangerie du Trieux", **offer: Any
) -> tuple[Employer, dict[str, Any]]:
    employer = await sign_up_employer(api, company_name=company_name)
    return employer, await post_offer(api, employer.token, **offer)


async def submit(
    api: GraphQL, who: Applicant, offer_id: str, message: str = "Bonjour, je suis disponible."
) -> dict[str, Any]:
    """applicationSubmit's payload."""
    variables = {
        "input": {
            "offerId": offer_id,
            "dossierId": who.dossier_id,
            "cvId": who.cv_id,
            "message": message,
        }
    }
    data = await api(SUBMIT, variables, token=who.candidate.token)
    payload: dict[str, Any] = data["applicationSubmit"]
    return payload


async def apply(api: GraphQL, who: Applicant, offer_id: str) -> dict[str, Any]:
    """Apply and check it was accepted; the application."""
    payload = await submit(api, who, offer_id)
    assert payload["userErrors"] == [], payload
    application: dict[str, Any] = payload["application"]
    return application


async def move(
    api: GraphQL, token: str, application_id: str, status: str, message: str | None = None
) -> dict[str, Any]:
    """applicationStatusChange's payload."""
    variables = {"input": {"id": application_id, "status": status, "message": message}}
    data = await api(STATUS_CHANGE, variables, token=token)
    payload: dict[str, Any] = data["applicationStatusChange"]
    return payload


async def withdraw(api: GraphQL, token: str, application_id: str) -> dict[str, Any]:
    data = await api(WITHDRAW, {"input": {"id": application_id}}, token=token)
    payload: dict[str, Any] = data["applicationWithdraw"]
    return payload


def error_codes(payload: dict[str, Any]) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in payload["userErrors"]}


async def until_listening(ws: WSClient) -> None:
    """The server has handled the subscribe (a ping sent after it is answered after it)."""
    await ws.send({"type": "ping"})
    assert await ws.receive() == {"type": "pong"}
