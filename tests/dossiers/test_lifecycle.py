"""Dossiers after their creation: update and delete, ownership, account kinds, services,
pagination."""

from __future__ import annotations

from models.dashboard import EventKind
from tests.conftest import LiveServer
from tests.dossiers.test_dossiers import (
    DELETE,
    IMPACTS,
    IMPACTS_PHONES_ONLY,
    MY_DOSSIERS,
    NODE,
    RESEND,
    SECRET_QUESTION,
    SIBLINGS,
    UPDATE,
    create_full,
)
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.client import GraphQL
from tests.support.dossiers import (
    DOSSIER_CREATE,
    codes,
    create_dossier,
    dre,
    events,
)


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
