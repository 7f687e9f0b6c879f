"""Helpers for the offer tests: a valid offer form, posting offers as an employer, and a
small set of fictional offers in Brittany and beyond for the search tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from models.base import utcnow
from models.offers import Offer
from tests.conftest import LiveServer
from tests.support.accounts import Employer, sign_up_employer, write_session
from tests.support.client import GraphQL

OFFER_FIELDS = """
  id number status intitule romeCode romeLibelle typeContrat experienceExige qualification
  lieuTravail { libelle communeInsee departement { code name } region { code name } }
  salaire { min max period libelle monthlyMin monthlyMax }
  publishedAt
"""

OFFER_CREATE = f"""
mutation ($input: OfferCreateInput!) {{
  offerCreate(input: $input) {{ offer {{ {OFFER_FIELDS} }} userErrors {{ field code message }} }}
}}
"""

OFFER_PUBLISH = f"""
mutation ($input: OfferStatusInput!) {{
  offerPublish(input: $input) {{ offer {{ {OFFER_FIELDS} }} userErrors {{ field code message }} }}
}}
"""


def offer_form(**overrides: Any) -> dict[str, Any]:
    """A complete, valid offer: a baker in Guingamp, CDI, beginners welcome."""
    form: dict[str, Any] = {
        "intitule": "Boulanger",
        "description": "Fabrication du pain et des viennoiseries, four à bois.",
        "communeInsee": "22070",
        "romeCode": "D1102",
        "typeContrat": "CDI",
        "experienceExige": "D",
        "qualification": "OUVRIER_QUALIFIE_P1_P2",
        "salaire": {"min": 1900, "max": 2100, "period": "MONTHLY"},
        "dureeTravail": "TEMPS_PLEIN",
        "heuresHebdo": 35,
    }
    form.update(overrides)
    return form


async def create_offer(api: GraphQL, token: str, **overrides: Any) -> dict[str, Any]:
    data = await api(OFFER_CREATE, {"input": offer_form(**overrides)}, token=token)
    payload = data["offerCreate"]
    assert payload["userErrors"] == [], payload
    offer: dict[str, Any] = payload["offer"]
    return offer


async def publish(api: GraphQL, token: str, offer_id: str) -> dict[str, Any]:
    data = await api(OFFER_PUBLISH, {"input": {"id": offer_id}}, token=token)
    payload = data["offerPublish"]
    assert payload["userErrors"] == [], payload
    offer: dict[str, Any] = payload["offer"]
    return offer


async def post_offer(api: GraphQL, token: str, **overrides: Any) -> dict[str, Any]:
    """Create and publish an offer; returns it as published."""
    offer = await create_offer(api, token, **overrides)
    return await publish(api, token, offer["id"])


async def backdate(server: LiveServer, number: str, days: int) -> None:
    """Move an offer's publication back in time (the API cannot)."""
    async with write_session(server) as session:
        await session.execute(
            update(Offer)
            .where(Offer.number == number)
            .values(published_at=utcnow() - timedelta(days=days))
        )


# Fictional offers: (key, overrides). Distances from Guingamp (22070): Bégard 13 km,
# Paimpol 24.7 km, Lannion 30.4 km, Rennes 120 km, Lyon 678 km.
CATALOGUE: list[tuple[str, dict[str, Any]]] = [
    ("boulanger", {}),
    (
        "vendeuse",
        {
            "intitule": "Vendeuse en boulangerie",
            "description": "Accueil des clients, encaissement et mise en rayon.",
            "communeInsee": "22004",
            "romeCode": "D1106",
            "typeContrat": "CDD",
            "dureeContratMois": 6,
            "experienceExige": "S",
            "experienceMois": 12,
            "qualification": "EMPLOYE_NON_QUALIFIE",
            "salaire": {"min": 12, "period": "HOURLY"},
            "dureeTravail": "TEMPS_PARTIEL",
            "heuresHebdo": 24,
        },
    ),
    (
        "patissier",
        {
            "intitule": "Pâtissier",
            "description": "Entremets, tartes et chocolats pour notre salon de thé.",
            "communeInsee": "22162",
            "romeCode": "D1104",
            "experienceExige": "E",
            "experienceMois": 24,
            "qualification": "EMPLOYE_QUALIFIE",
            "salaire": {"min": 26400, "period": "YEARLY"},
        },
    ),
    (
        "aide_soignant",
        {
            "intitule": "Aide-soignant de nuit",
            "description": "Soins d'hygiène et de confort en EHPAD, équipe de nuit.",
            "communeInsee": "22113",
            "romeCode": "J1501",
            "typeContrat": "CDD",
            "dureeContratMois": 3,
            "qualification": "EMPLOYE_NON_QUALIFIE",
            "salaire": None,
        },
    ),
    (
        "developpeuse",
        {
            "intitule": "Développeuse Python",
            "description": "API GraphQL et bases de données pour des services publics.",
            "communeInsee": "35238",
            "romeCode": "M1805",
            "experienceExige": "E",
            "experienceMois": 36,
            "qualification": "CADRE",
            "salaire": {"min": 40000, "max": 45000, "period": "YEARLY"},
        },
    ),
    (
        "conducteur",
        {
            "intitule": "Conducteur poids lourd",
            "description": "Livraisons régionales, départ tôt le matin.",
            "communeInsee": "69381",
            "romeCode": "N4101",
            "typeContrat": "MIS",
            "dureeContratMois": 2,
            "experienceExige": "S",
            "qualification": "OUVRIER_QUALIFIE_P3_P4_OHQ",
            "salaire": {"min": 13.5, "period": "HOURLY"},
        },
    ),
]


@dataclass
class Catalogue:
    employer: Employer
    offers: dict[str, dict[str, Any]]  # key -> published offer
    draft: dict[str, Any]

    def numbers(self, *keys: str) -> set[str]:
        return {self.offers[k]["number"] for k in keys}


async def post_catalogue(api: GraphQL) -> Catalogue:
    """The six published offers of CATALOGUE, oldest first, and one draft baker offer."""
    employer = await sign_up_employer(api, company_name="Fournil d'Armor (fictif)")
    offers = {}
    for key, overrides in CATALOGUE:
        offers[key] = await post_offer(api, employer.token, **overrides)
    draft = await create_offer(api, employer.token, intitule="Boulanger tourier")
    return Catalogue(employer, offers, draft)


def numbers_of(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["number"] for edge in connection["edges"]]


OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"


async def run_operation(api: GraphQL, name: str, token: str | None = None, **variables: Any) -> Any:
    """Run the operation ``name`` of graphql/operations/ (files may hold several)."""
    defines = re.compile(rf"\b(query|mutation) {name}\b")
    file = next(p for p in OPERATIONS.glob("*.graphql") if defines.search(p.read_text()))
    response = await api.http.post(
        "/graphql",
        json={"query": file.read_text(), "variables": variables, "operationName": name},
        headers=api.headers(token),
    )
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    return body["data"]
