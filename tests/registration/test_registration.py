"""Registration (inscription): created at sign-up at the agency of the home commune, with a
personal adviser and its history; renewal refused while registered."""

from __future__ import annotations

from tests.actualisation.support import (
    REGISTRATION,
    RENEW,
    agency_with_adviser,
    at,
    mutate,
    paris,
)
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.client import GraphQL


async def test_sign_up_registers_the_candidat_at_the_agency_of_their_commune(
    server: LiveServer, api: GraphQL
) -> None:
    # Given an agency at Guingamp with an adviser, and the clock on 10 September 2026
    await agency_with_adviser(server, api)
    await at(server, paris(2026, 9, 10, 23, 30))
    # When a candidat of Guingamp signs up
    candidate = await sign_up_candidate(api, postal_code="22200")
    # Then they are registered, category 1, at Guingamp, with its adviser, from that day
    registration = (await api(REGISTRATION, token=candidate.token))["viewer"]["registration"]
    assert registration == {
        "state": "INSCRIT",
        "registeredOn": "2026-09-10",
        "category": 1,
        "categoryLabel": "Sans emploi, immédiatement disponible, à la recherche d'un CDI à "
        "temps plein",
        "adviserName": "Conseiller GUI01",
        "agency": {"code": "GUI01"},
        "history": [{"state": "INSCRIT", "effectiveOn": "2026-09-10", "reason": "INSCRIPTION"}],
    }
    # And renewing while registered is refused
    renewed = await mutate(api, RENEW, candidate.token, category=2)
    assert [e["code"] for e in renewed["userErrors"]] == ["INVALID_TRANSITION"]
    assert renewed["registration"] is None


async def test_a_candidat_without_an_agency_nearby_is_registered_without_one(
    server: LiveServer, api: GraphQL
) -> None:
    candidate = await sign_up_candidate(api, postal_code="29200")
    registration = (await api(REGISTRATION, token=candidate.token))["viewer"]["registration"]
    assert registration["state"] == "INSCRIT"
    assert registration["agency"] is None and registration["adviserName"] is None


async def test_employers_have_no_registration_and_cannot_renew(
    server: LiveServer, api: GraphQL
) -> None:
    employer = await sign_up_employer(api)
    assert (await api(REGISTRATION, token=employer.token))["viewer"]["registration"] is None
    renewed = await mutate(api, RENEW, employer.token)
    assert [e["code"] for e in renewed["userErrors"]] == ["FORBIDDEN"]


async def test_renewing_checks_the_category(server: LiveServer, api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    renewed = await mutate(api, RENEW, candidate.token, category=9)
    assert [(e["field"], e["code"]) for e in renewed["userErrors"]] == [
        ("category", "OUT_OF_RANGE")
    ]


STRIKE_OFF = """
mutation ($input: RegistrationStrikeOffInput!) {
  registrationStrikeOff(input: $input) {
    registration { state history(first: 1) { state reason } }
    userErrors { field code message }
  }
}
"""


async def test_only_an_adviser_of_the_agency_strikes_a_registration_off(
    server: LiveServer, api: GraphQL
) -> None:
    # Given a candidat of Guingamp, an adviser there and one at Brest
    guingamp = await agency_with_adviser(server, api)
    brest = await agency_with_adviser(server, api, "BRE01", "29200")
    candidate = await sign_up_candidate(api, postal_code="22200")
    # Brest's adviser, the candidat themself and an unknown identifiant are refused
    foreign = await mutate(api, STRIKE_OFF, brest, identifiant=candidate.identifiant)
    assert [(e["field"], e["code"]) for e in foreign["userErrors"]] == [
        ("identifiant", "NOT_FOUND")
    ]
    himself = await mutate(api, STRIKE_OFF, candidate.token, identifiant=candidate.identifiant)
    assert [e["code"] for e in himself["userErrors"]] == ["FORBIDDEN"]
    unknown = await mutate(api, STRIKE_OFF, guingamp, identifiant="0000000Z")
    assert [e["code"] for e in unknown["userErrors"]] == ["NOT_FOUND"]
    # When Guingamp's adviser strikes the registration off
    struck = await mutate(api, STRIKE_OFF, guingamp, identifiant=candidate.identifiant.lower())
    assert struck["userErrors"] == []
    assert struck["registration"] == {
        "state": "RADIE",
        "history": [{"state": "RADIE", "reason": "RADIATION"}],
    }
    again = await mutate(api, STRIKE_OFF, guingamp, identifiant=candidate.identifiant)
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]
    # Then the candidat sees it, and may register again
    seen = (await api(REGISTRATION, token=candidate.token))["viewer"]["registration"]
    assert seen["state"] == "RADIE"
    renewed = await mutate(api, RENEW, candidate.token)
    assert renewed["registration"]["state"] == "INSCRIT"
