"""Job-search dossiers (DRE): the form, its checks, listing, update, delete, ownership."""

from __future__ import annotations

from typing import Any

import pytest

from models.dashboard import EventKind
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer
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


async def test_update_then_delete(api: GraphQL, server: LiveServer) -> None:
    # Given «DRE1» without a fixed line
    candidat = await sign_up_candidate(api)
    created = await create_dossier(api, candidat.token)
    # When its name, phone and postal code change (the commune is chosen again)
    changes = {"id": created["id"], "name": "DRE Guingamp", "phoneFixe": "02 96 43 73 89"}
    changes |= {"postalCode": "29200"}
    updated = (await api(UPDATE, {"input": changes}, token=candidat.token))["dossierUpdate"]
    # Then the other fields stayed
    assert updated["userErrors"] == []
    dossier = updated["dossier"]
    assert dossier["name"] == "DRE Guingamp"
    assert dossier["updatedAt"] >= dossier["createdAt"]
    assert dossier["phoneFixe"]["national"] == "02 96 43 73 89"
    assert dossier["commune"]["name"] == "Brest"
    assert dossier["prenom"] == "Annaïg"
    assert dossier["phoneMobile"]["national"] == "06 12 34 56 78"
    (logged,) = await events(server, EventKind.DOSSIER_UPDATED)
    assert set(logged.payload["changed"]) == {
        "name",
        "phoneFixe",
        "postalCode",
        "communeInsee",
        "communeName",
    }
    # And a required field cannot be emptied
    emptied = await api(UPDATE, {"input": {"id": created["id"], "nom": ""}}, token=candidat.token)
    assert codes(emptied["dossierUpdate"]) == {"nom": "REQUIRED"}
    # When it is deleted, it is gone
    deleted = await api(DELETE, {"input": {"id": created["id"]}}, token=candidat.token)
    assert deleted["dossierDelete"] == {"deletedDossierId": created["id"], "userErrors": []}
    listed = (await api(MY_DOSSIERS, token=candidat.token))["viewer"]["dossiers"]
    assert listed["edges"] == []
    assert (await api(NODE, {"id": created["id"]}, token=candidat.token))["node"] is None
    assert [e.subject_id for e in await events(server, EventKind.DOSSIER_DELETED)] == [
        logged.subject_id
    ]


async def test_another_candidats_dossier_is_not_found_everywhere(api: GraphQL) -> None:
    # Given Annaïg's dossier, and Yann
    annaig = await sign_up_candidate(api)
    yann = await sign_up_candidate(api)
    dossier = await create_dossier(api, annaig.token)
    ref = {"id": dossier["id"]}
    # Then Yann finds nothing behind its ID, and cannot change or delete it
    assert (await api(NODE, ref, token=yann.token))["node"] is None
    update = await api(UPDATE, {"input": {**ref, "name": "Volé"}}, token=yann.token)
    assert update["dossierUpdate"]["userErrors"] == [
        {"field": "id", "code": "NOT_FOUND", "message": "Ce dossier est introuvable."}
    ]
    delete = await api(DELETE, {"input": ref}, token=yann.token)
    assert codes(delete["dossierDelete"]) == {"id": "NOT_FOUND"}
    resend = await api(RESEND, {"input": {"dossierId": dossier["id"]}}, token=yann.token)
    assert codes(resend["emailConfirmationResend"]) == {"dossierId": "NOT_FOUND"}
    assert (await api(IMPACTS, ref, token=yann.token))["dossierChangeImpacts"] is None
    assert (await api(NODE, ref))["node"] is None
    # And Annaïg's dossier is untouched
    assert (await api(NODE, ref, token=annaig.token))["node"]["name"] == "DRE1"
    # A forged ID is not found either
    forged = await api(DELETE, {"input": {"id": "not-an-id"}}, token=annaig.token)
    assert codes(forged["dossierDelete"]) == {"id": "NOT_FOUND"}


async def test_only_candidats_have_dossiers(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    payload = (await api(DOSSIER_CREATE, {"input": dre()}, token=employer.token))["dossierCreate"]
    assert codes(payload) == {None: "WRONG_ACCOUNT_KIND"}
    listed = (await api(MY_DOSSIERS, token=employer.token))["viewer"]["dossiers"]
    assert listed == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    anonymous = (await api(DOSSIER_CREATE, {"input": dre()}))["dossierCreate"]
    assert codes(anonymous) == {None: "UNAUTHENTICATED"}


async def test_online_applications_need_a_phone(api: GraphQL) -> None:
    # Given a dossier without any phone
    candidat = await sign_up_candidate(api)
    payload = await create_full(api, candidat.token, phoneMobile=None)
    caps = payload["dossier"]["capabilities"]
    assert caps["canApplyOnline"]["allowed"] is False
    assert caps["canApplyOnline"]["reason"] == "PHONE_REQUIRED"
    assert caps["canSubscribeToOffers"] == {"allowed": False, "reason": "NO_EMAIL"}
    # When a fixed line is added, online applications open
    changes = {"id": payload["dossier"]["id"], "phoneFixe": "09 51 23 45 67"}
    updated = (await api(UPDATE, {"input": changes}, token=candidat.token))["dossierUpdate"]
    assert updated["dossier"]["capabilities"]["canApplyOnline"] == {
        "allowed": True,
        "reason": None,
        "message": None,
    }


async def test_change_impacts_before_validating(api: GraphQL) -> None:
    # Given a dossier with a mobile phone and an address
    candidat = await sign_up_candidate(api)
    created = await create_dossier(api, candidat.token, email="annaig@example.org")
    ref = created["id"]
    # When the phone would be removed and the e-mail changed
    found = await api(
        IMPACTS, {"id": ref, "email": "annaig.legoff@example.org", "mobile": None}, candidat.token
    )
    impacts = found["dossierChangeImpacts"]["impacts"]
    # Then the frontend learns what would be suspended
    assert {(i["service"], i["effect"]) for i in impacts} == {
        ("OFFER_SUBSCRIPTIONS", "SUSPENDED"),
        ("EMAIL_CONFIRMATION", "CONFIRMATION_REQUIRED"),
        ("ONLINE_APPLICATIONS", "DISABLED"),
    }
    messages = " ".join(i["message"] for i in impacts)
    assert "jusqu'à la confirmation de la nouvelle adresse" in messages
    assert "ne seront plus possibles sans numéro de téléphone" in messages
    # And changing only the mobile for another one has no impact; a bad number is an error
    same = await api(IMPACTS_PHONES_ONLY, {"id": ref, "mobile": "0781234567"}, candidat.token)
    assert same["dossierChangeImpacts"] == {"impacts": [], "userErrors": []}
    bad = await api(IMPACTS_PHONES_ONLY, {"id": ref, "fixe": "0781234567"}, candidat.token)
    assert bad["dossierChangeImpacts"]["userErrors"] == [
        {"field": "phoneFixe", "code": "INVALID_PHONE"}
    ]
    # Nothing was written
    assert (await api(NODE, {"id": ref}, token=candidat.token))["node"]["name"] == "DRE1"


async def test_viewer_dossiers_are_paginated(api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    for name in ("DRE1", "DRE2", "DRE3"):
        await create_dossier(api, candidat.token, name=name)
    first = (await api(MY_DOSSIERS, {"first": 2}, token=candidat.token))["viewer"]["dossiers"]
    assert [e["node"]["name"] for e in first["edges"]] == ["DRE1", "DRE2"]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    rest = (await api(MY_DOSSIERS, {"after": after}, token=candidat.token))["viewer"]["dossiers"]
    assert [e["node"]["name"] for e in rest["edges"]] == ["DRE3"]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_the_form_sets_the_secret_question_once(api: GraphQL) -> None:
    # Given a candidat without a secret question
    candidat = await sign_up_candidate(api)
    secret = {"secretQuestion": "Nom de mon premier chien ?", "secretAnswer": "Rantanplan"}
    # When the first dossier gives one, it is set on the account
    await create_dossier(api, candidat.token, **secret)
    asked = await api(SECRET_QUESTION, {"i": candidat.identifiant, "p": candidat.postal_code})
    assert asked["secretQuestion"] == "Nom de mon premier chien ?"
    # And a second one is refused rather than silently dropped
    form = dre(name="DRE2", **secret)
    again = (await api(DOSSIER_CREATE, {"input": form}, token=candidat.token))["dossierCreate"]
    assert codes(again) == {"secretQuestion": "SECRET_QUESTION_ALREADY_SET"}


async def test_html_and_sql_in_names_are_stored_as_given(api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    name = "<b>DRE</b>'; DROP TABLE dossiers;--"
    created = await create_dossier(api, candidat.token, name=name, nom="O'Brien <i>")
    assert created["name"] == name
    node = await api(NODE, {"id": created["id"]}, token=candidat.token)
    assert node["node"]["name"] == name


async def test_sibling_fields_read_at_the_same_time(api: GraphQL) -> None:
    # Given a dossier; when one document reads it through several sibling fields at once
    candidat = await sign_up_candidate(api)
    created = await create_dossier(api, candidat.token)
    data = await api(SIBLINGS, {"id": created["id"]}, token=candidat.token)
    # Then each answers (none waits on, or trips over, another's database session)
    assert data["viewer"]["dossiers"]["edges"] == [{"node": {"name": "DRE1"}}]
    assert data["node"] == {"id": created["id"]}
    assert data["dossierChangeImpacts"]["impacts"] == [{"effect": "DISABLED"}]
