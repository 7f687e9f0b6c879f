"""Helpers for the dossier tests: a valid form, an adviser, agencies, the event log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models.dashboard import Event
from resolvers.core.unit_of_work import RuntimeWork
from resolvers.identity.sign_up import adviser_create
from tests.conftest import LiveServer
from tests.support.accounts import DEFAULT_PASSWORD, sign_in, unique_email
from tests.support.client import GraphQL

DOSSIER_CREATE = """
mutation ($input: DossierCreateInput!) {
  dossierCreate(input: $input) {
    dossier { id name email emailConfirmed }
    userErrors { field code message }
  }
}
"""

AGENCY_CREATE = """
mutation ($input: AgencyCreateInput!) {
  agencyCreate(input: $input) {
    agency { id code name postalCode commune { name inseeCode } }
    userErrors { field code message }
  }
}
"""


def dre(**overrides: Any) -> dict[str, Any]:
    """A complete, valid dossier form: «DRE1» in Guingamp (INSEE 22070, postal code 22200)."""
    form: dict[str, Any] = {
        "name": "DRE1",
        "civilite": "MADAME",
        "nom": "Le Goff",
        "prenom": "Annaïg",
        "adresse": "12 rue de la Trinité",
        "complementAdresse1": "tour Mirabelle",
        "complementAdresse2": "escalier C",
        "postalCode": "22200",
        "communeInsee": "22070",
        "phoneMobile": "06 12 34 56 78",
        "email": None,
        "inscritPoleEmploi": False,
        "birthDate": "1990-05-17",
        "situation": "DEMANDEUR_EMPLOI",
        "qualification": "EMPLOYE_QUALIFIE",
    }
    form.update(overrides)
    return form


async def create_dossier(api: GraphQL, token: str, **overrides: Any) -> dict[str, Any]:
    """Create a dossier and check it was accepted; returns it."""
    data = await api(DOSSIER_CREATE, {"input": dre(**overrides)}, token=token)
    payload = data["dossierCreate"]
    assert payload["userErrors"] == [], payload
    dossier: dict[str, Any] = payload["dossier"]
    return dossier


async def sign_up_adviser(server: LiveServer, api: GraphQL) -> str:
    """Create an adviser (as ``espace adviser create`` does) and sign it in; its token."""
    email = unique_email("conseiller")
    work = RuntimeWork(server.runtime)
    try:
        await adviser_create(
            work,
            server.runtime,
            email=email,
            name="Conseillère Guingamp",
            password=DEFAULT_PASSWORD,
            agency_code=None,
        )
    finally:
        await work.close()
    session = await sign_in(api, email=email, password=DEFAULT_PASSWORD)
    assert session["userErrors"] == [], session
    token: str = session["token"]
    return token


async def create_agency(api: GraphQL, adviser: str, **fields: Any) -> dict[str, Any]:
    data = await api(AGENCY_CREATE, {"input": fields}, token=adviser)
    payload = data["agencyCreate"]
    assert payload["userErrors"] == [], payload
    agency: dict[str, Any] = payload["agency"]
    return agency


async def events(server: LiveServer, kind: str) -> list[Event]:
    """The events of one kind in the log, oldest first."""
    async with server.runtime.sessionmaker() as session:
        rows = await session.scalars(select(Event).where(Event.kind == kind).order_by(Event.id))
        return list(rows.all())


def codes(payload: dict[str, Any]) -> dict[str | None, str]:
    """userErrors as {field: code}."""
    return {e["field"]: e["code"] for e in payload["userErrors"]}
