"""Job-search dossiers (DRE): the form, its checks, listing, update, delete, ownership."""

from __future__ import annotations

from typing import Any

import pytest

from models.dashboard import EventKind
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import (
    DOSSIER_CREATE,
    codes,
    create_dossier,
    dre,
    events,
)

COMMUNES = "query ($code: String!) { communes(postalCode: $code) { inseeCode name } }"

DOSSIER_FIELDS = """
  id name civilite nom prenom pays adresse complementAdresse1 complementAdresse2
  postalCode communeName acheminement email emailConfirmed
  inscritPoleEmploi identifiantPoleEmploi birthDate situation qualification createdAt updatedAt
  commune { inseeCode name postalCode departement { code name } region { code name } }
  phoneMobile { e164 national } phoneFixe { e164 national }
  agency { name }
  capabilities {
    canApplyOnline { allowed reason message }
    canSubscribeToOffers { allowed reason }
  }
"""

CREATE_FULL = f"""
mutation ($input: DossierCreateInput!) {{
  dossierCreate(input: $input) {{
    dossier {{ {DOSSIER_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""

UPDATE = f"""
mutation ($input: DossierUpdateInput!) {{
  dossierUpdate(input: $input) {{
    dossier {{ {DOSSIER_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""

DELETE = """
mutation ($input: DossierDeleteInput!) {
  dossierDelete(input: $input) { deletedDossierId userErrors { field code message } }
}
"""

MY_DOSSIERS = """
query ($first: Int, $after: String) {
  viewer {
    dossiers(first: $first, after: $after) {
      edges { cursor node { id name agency { name } commune { name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""

NODE = "query ($id: ID!) { node(id: $id) { id ... on Dossier { name } } }"

RESEND = """
mutation ($input: EmailConfirmationResendInput!) {
  emailConfirmationResend(input: $input) { dossier { id } userErrors { field code } }
}
"""

IMPACTS = """
query ($id: ID!, $email: String, $mobile: String, $fixe: String) {
  dossierChangeImpacts(dossierId: $id, email: $email, phoneMobile: $mobile, phoneFixe: $fixe) {
    impacts { service effect message }
    userErrors { field code }
  }
}
"""

IMPACTS_PHONES_ONLY = """
query ($id: ID!, $mobile: String, $fixe: String) {
  dossierChangeImpacts(dossierId: $id, phoneMobile: $mobile, phoneFixe: $fixe) {
    impacts { service effect message }
    userErrors { field code }
  }
}
"""

SIBLINGS = """
query ($id: ID!) {
  viewer { dossiers { edges { node { name } } } }
  node(id: $id) { id }
  agencies { edges { node { name } } }
  dossierChangeImpacts(dossierId: $id, phoneMobile: null) { impacts { effect } }
}
"""

SECRET_QUESTION = (
    "query ($i: String!, $p: String!) { secretQuestion(identifiant: $i, postalCode: $p) }"
)


async def create_full(api: GraphQL, token: str, **overrides: Any) -> dict[str, Any]:
    data = await api(CREATE_FULL, {"input": dre(**overrides)}, token=token)
    payload: dict[str, Any] = data["dossierCreate"]
    return payload


async def test_create_dre1_in_guingamp_among_the_ten_communes_of_22200(
    api: GraphQL, server: LiveServer
) -> None:
    # Given a candidat, and the ten communes of the postal code 22200
    candidat = await sign_up_candidate(api)
    communes = (await api(COMMUNES, {"code": "22200"}))["communes"]
    assert len(communes) == 10
    guingamp = next(c for c in communes if c["name"] == "Guingamp")
    # When they create «DRE1» with Guingamp
    payload = await create_full(api, candidat.token, communeInsee=guingamp["inseeCode"])
    # Then the dossier holds the checked, normalised form
    assert payload["userErrors"] == []
    dossier = payload["dossier"]
    assert dossier["name"] == "DRE1"
    assert (dossier["civilite"], dossier["prenom"], dossier["nom"]) == (
        "MADAME",
        "Annaïg",
        "Le Goff",
    )
    assert dossier["pays"] == "FRANCE"
    assert dossier["complementAdresse1"] == "tour Mirabelle"
    assert dossier["complementAdresse2"] == "escalier C"
    assert dossier["commune"] == {
        "inseeCode": "22070",
        "name": "Guingamp",
        "postalCode": "22200",
        "departement": {"code": "22", "name": "Côtes-d'Armor"},
        "region": {"code": "53", "name": "Bretagne"},
    }
    assert dossier["communeName"] == "Guingamp"
    assert dossier["phoneMobile"] == {"e164": "+33612345678", "national": "06 12 34 56 78"}
    assert dossier["phoneFixe"] is None
    assert dossier["qualification"] == "EMPLOYE_QUALIFIE"
    assert dossier["birthDate"] == "1990-05-17"
    # And it is listed on the viewer, and the log has the event
    listed = (await api(MY_DOSSIERS, token=candidat.token))["viewer"]["dossiers"]
    assert [e["node"]["name"] for e in listed["edges"]] == ["DRE1"]
    assert [e.payload["name"] for e in await events(server, EventKind.DOSSIER_CREATED)] == ["DRE1"]


async def test_a_postal_code_with_one_commune_fills_it_in(api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    payload = await create_full(api, candidat.token, postalCode="29200", communeInsee=None)
    assert payload["userErrors"] == []
    assert payload["dossier"]["commune"]["name"] == "Brest"
    assert payload["dossier"]["commune"]["inseeCode"] == "29019"


async def test_the_form_reports_every_error_at_once(api: GraphQL) -> None:
    # Given a candidat filling the form badly everywhere
    candidat = await sign_up_candidate(api)
    form = dre(
        name="D" * 10_000,
        nom="   ",
        civilite=None,
        postalCode="99999",
        phoneMobile="01 23 45 67 89",
        phoneFixe="12",
        email="annaig@@exemple",
        birthDate="2020-01-01",
        inscritPoleEmploi=True,
        situation=None,
    )
    # When it is sent
    data = await api(DOSSIER_CREATE, {"input": form}, token=candidat.token)
    payload = data["dossierCreate"]
    # Then nothing is created and every problem comes back, each with its stable code
    assert payload["dossier"] is None
    assert codes(payload) == {
        "name": "TOO_LONG",
        "nom": "REQUIRED",
        "civilite": "REQUIRED",
        "postalCode": "UNKNOWN_POSTAL_CODE",
        "phoneMobile": "INVALID_PHONE",
        "phoneFixe": "INVALID_PHONE",
        "email": "INVALID_EMAIL",
        "birthDate": "IMPLAUSIBLE_BIRTH_DATE",
        "identifiantPoleEmploi": "REQUIRED",
        "agencyId": "REQUIRED",
        "situation": "REQUIRED",
    }
    assert all(e["message"] for e in payload["userErrors"])
    assert "obligatoire" in next(e for e in payload["userErrors"] if e["field"] == "nom")["message"]
    listed = (await api(MY_DOSSIERS, token=candidat.token))["viewer"]["dossiers"]
    assert listed["edges"] == []


@pytest.mark.parametrize(
    ("postal_code", "insee", "field", "code"),
    [
        ("2220A", None, "postalCode", "INVALID_POSTAL_CODE"),
        ("99999", None, "postalCode", "UNKNOWN_POSTAL_CODE"),
        ("22200", "29019", "communeInsee", "COMMUNE_MISMATCH"),
        ("22200", None, "communeInsee", "REQUIRED"),
    ],
)
async def test_postal_code_and_commune_are_checked_together(
    api: GraphQL, postal_code: str, insee: str | None, field: str, code: str
) -> None:
    candidat = await sign_up_candidate(api)
    form = dre(postalCode=postal_code, communeInsee=insee)
    payload = (await api(DOSSIER_CREATE, {"input": form}, token=candidat.token))["dossierCreate"]
    assert codes(payload) == {field: code}


async def test_a_mobile_must_be_a_mobile_and_a_fixe_a_fixed_line(api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    form = dre(phoneMobile="02 96 43 73 89", phoneFixe="07 81 23 45 67")
    payload = (await api(DOSSIER_CREATE, {"input": form}, token=candidat.token))["dossierCreate"]
    assert codes(payload) == {"phoneMobile": "INVALID_PHONE", "phoneFixe": "INVALID_PHONE"}
    ok = await create_full(api, candidat.token, phoneMobile="0781234567", phoneFixe="0296437389")
    assert ok["dossier"]["phoneFixe"] == {"e164": "+33296437389", "national": "02 96 43 73 89"}


async def test_an_address_abroad_takes_a_free_postal_code_and_town(api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    payload = await create_full(
        api,
        candidat.token,
        pays="BELGIQUE",
        postalCode="1000",
        communeInsee=None,
        communeName="Bruxelles",
        phoneMobile="+32 470 12 34 56",
    )
    assert payload["userErrors"] == []
    dossier = payload["dossier"]
    assert (dossier["pays"], dossier["postalCode"], dossier["communeName"]) == (
        "BELGIQUE",
        "1000",
        "Bruxelles",
    )
    assert dossier["commune"] is None
    assert dossier["phoneMobile"]["e164"] == "+32470123456"


async def test_names_are_unique_per_candidat(api: GraphQL) -> None:
    # Given a candidat with «DRE1», and another candidat
    candidat = await sign_up_candidate(api)
    other = await sign_up_candidate(api)
    await create_dossier(api, candidat.token)
    # When the same candidat creates « dre1 » again, it is refused
    again = await api(DOSSIER_CREATE, {"input": dre(name="  dre1 ")}, token=candidat.token)
    assert codes(again["dossierCreate"]) == {"name": "DUPLICATE"}
    # But another name, or another candidat, is fine
    await create_dossier(api, candidat.token, name="DRE2")
    await create_dossier(api, other.token)
