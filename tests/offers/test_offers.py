"""Employers' companies and offers: post, publish, pause, close; numbers; who sees what."""

from __future__ import annotations

import re

from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.client import GraphQL
from tests.support.dossiers import codes
from tests.support.offers import (
    OFFER_CREATE,
    OFFER_FIELDS,
    create_offer,
    offer_form,
    post_offer,
)

COMPANY_UPDATE = """
mutation ($input: CompanyUpdateInput!) {
  companyUpdate(input: $input) {
    company { id name siret nafCode sizeBand description }
    userErrors { field code message }
  }
}
"""

MY_COMPANY = """
query ($statuses: [OfferStatus!]) {
  viewer { company { name offers(statuses: $statuses) { edges { node { number status } } } } }
}
"""

OFFER_UPDATE = f"""
mutation ($input: OfferUpdateInput!) {{
  offerUpdate(input: $input) {{ offer {{ {OFFER_FIELDS} updatedAt }} userErrors {{ field code }} }}
}}
"""

TRANSITION = """
mutation ($id: ID!) {
  publish: offerPublish(input: {id: $id}) { offer { status } userErrors { field code message } }
}
"""
PAUSE = """
mutation ($id: ID!) { offerPause(input: {id: $id}) { offer { status } userErrors { code } } }
"""
CLOSE = """
mutation ($id: ID!) {
  offerClose(input: {id: $id}) { offer { status closedAt } userErrors { code } }
}
"""

BY_NUMBER = """
query ($number: String!) {
  offer(number: $number) {
    id number status intitule typeContratLibelle experienceLibelle qualificationLibelle
    dureeTravailLibelle accessibleTH nombrePostes metier { code libelle }
    lieuTravail { libelle commune { name postalCode } departement { name } region { name } }
    entreprise { name company { name siret } }
    salaire { libelle monthlyMin monthlyMax }
  }
}
"""

NODE = "query ($id: ID!) { node(id: $id) { ... on Offer { number status } } }"


async def test_an_employer_posts_and_publishes_an_offer_found_by_its_number(
    api: GraphQL,
) -> None:
    # given an employer and a complete offer
    employer = await sign_up_employer(api, company_name="Fournil d'Armor (fictif)")

    # when it creates the offer, then publishes it
    draft = await create_offer(api, employer.token)
    published = (await api(TRANSITION, {"id": draft["id"]}, token=employer.token))["publish"]

    # then the draft got a public number (3 digits, 4 letters) and the commune's place
    assert re.fullmatch(r"[0-9]{3}[A-Z]{4}", draft["number"])
    assert draft["status"] == "DRAFT" and draft["publishedAt"] is None
    assert draft["lieuTravail"]["libelle"] == "22 - Guingamp"
    assert draft["lieuTravail"]["departement"] == {"code": "22", "name": "Côtes-d'Armor"}
    assert draft["lieuTravail"]["region"] == {"code": "53", "name": "Bretagne"}
    assert draft["romeLibelle"] == "Boulanger / Boulangère"
    assert published == {"offer": {"status": "PUBLISHED"}, "userErrors": []}
    # and anyone finds it by its number, with FT v2 labels and the company from sign-up
    offer = (await api(BY_NUMBER, {"number": draft["number"].lower()}))["offer"]
    assert offer["typeContratLibelle"] == "Contrat à durée indéterminée"
    assert offer["experienceLibelle"] == "Débutant accepté"
    assert offer["qualificationLibelle"] == "3 — Ouvrier qualifié (P1, P2)"
    assert offer["dureeTravailLibelle"] == "35H Temps plein"
    assert offer["salaire"] == {
        "libelle": "Mensuel de 1900.00 Euros à 2100.00 Euros",
        "monthlyMin": 1900.0,
        "monthlyMax": 2100.0,
    }
    assert offer["lieuTravail"]["commune"] == {"name": "Guingamp", "postalCode": "22200"}
    assert offer["entreprise"] == {
        "name": "Fournil d'Armor (fictif)",
        "company": {"name": "Fournil d'Armor (fictif)", "siret": None},
    }
    assert offer["accessibleTH"] is False and offer["nombrePostes"] == 1
    assert (await api(BY_NUMBER, {"number": "000AAAA"}))["offer"] is None


async def test_every_error_of_the_offer_form_comes_back_at_once(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    bad = offer_form(
        intitule="  ",
        communeInsee="99999",
        romeCode="Z9999",
        experienceExige="D",
        experienceMois=12,
        salaire={"min": -5, "period": "MONTHLY"},
        heuresHebdo=60,
        contact={"courriel": "pas une adresse", "urlPostulation": "ftp://x"},
    )
    payload = (await api(OFFER_CREATE, {"input": bad}, token=employer.token))["offerCreate"]
    assert payload["offer"] is None
    assert codes(payload) == {
        "intitule": "REQUIRED",
        "communeInsee": "UNKNOWN_COMMUNE",
        "romeCode": "UNKNOWN_ROME_CODE",
        "experienceMois": "INVALID",
        "salaire.min": "OUT_OF_RANGE",
        "heuresHebdo": "OUT_OF_RANGE",
        "contact.courriel": "INVALID_EMAIL",
        "contact.urlPostulation": "INVALID_FORMAT",
    }
    # an appellation of another métier, and a duration for a CDI
    payload = (
        await api(
            OFFER_CREATE,
            {"input": offer_form(appellationCode="10891", dureeContratMois=6)},
            token=employer.token,
        )
    )["offerCreate"]
    assert codes(payload) == {"appellationCode": "INVALID", "dureeContratMois": "INVALID"}
    # the ROME code follows from the appellation alone
    offer = await create_offer(api, employer.token, romeCode=None, appellationCode="11573")
    assert offer["romeCode"] == "D1102"


async def test_the_status_moves_as_the_state_machine_allows(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    offer = await create_offer(api, employer.token)
    token, oid = employer.token, {"id": offer["id"]}

    paused_draft = (await api(PAUSE, oid, token=token))["offerPause"]
    closed_draft = (await api(CLOSE, oid, token=token))["offerClose"]
    assert paused_draft["userErrors"] == [{"code": "INVALID_TRANSITION"}]
    assert closed_draft["userErrors"] == [{"code": "INVALID_TRANSITION"}]

    assert (await api(TRANSITION, oid, token=token))["publish"]["offer"]["status"] == "PUBLISHED"
    assert (await api(PAUSE, oid, token=token))["offerPause"]["offer"]["status"] == "PAUSED"
    republished = (await api(TRANSITION, oid, token=token))["publish"]
    assert republished["offer"]["status"] == "PUBLISHED"
    closed = (await api(CLOSE, oid, token=token))["offerClose"]
    assert closed["offer"]["status"] == "CLOSED" and closed["offer"]["closedAt"]

    again = (await api(TRANSITION, oid, token=token))["publish"]
    assert again["offer"] is None
    assert again["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert "clôturée" in again["userErrors"][0]["message"]
    update = await api(
        OFFER_UPDATE, {"input": {"id": offer["id"], "intitule": "Boulanger"}}, token=token
    )
    assert update["offerUpdate"]["userErrors"] == [{"field": "id", "code": "OFFER_CLOSED"}]


async def test_an_employer_sees_and_changes_only_its_own_offers(api: GraphQL) -> None:
    owner = await sign_up_employer(api)
    other = await sign_up_employer(api, company_name="Autre Fournil (fictif)")
    candidate = await sign_up_candidate(api)
    draft = await create_offer(api, owner.token, intitule="Boulanger tourier")
    live = await post_offer(api, owner.token)

    # the other employer: not found, for changes and for the draft
    change = {"input": {"id": live["id"], "intitule": "Piraté"}}
    refused = (await api(OFFER_UPDATE, change, token=other.token))["offerUpdate"]
    assert refused == {"offer": None, "userErrors": [{"field": "id", "code": "NOT_FOUND"}]}
    paused = (await api(PAUSE, {"id": live["id"]}, token=other.token))["offerPause"]
    assert paused["userErrors"] == [{"code": "NOT_FOUND"}]
    for token in (other.token, candidate.token, None):
        assert (await api(NODE, {"id": draft["id"]}, token=token))["node"] is None
        assert (await api(BY_NUMBER, {"number": draft["number"]}, token=token))["offer"] is None
        found = (await api(NODE, {"id": live["id"]}, token=token))["node"]
        assert found == {"number": live["number"], "status": "PUBLISHED"}
    # the owner sees both, and lists its offers by status
    assert (await api(NODE, {"id": draft["id"]}, token=owner.token))["node"]["status"] == "DRAFT"
    mine = (await api(MY_COMPANY, {}, token=owner.token))["viewer"]["company"]
    assert [e["node"]["number"] for e in mine["offers"]["edges"]] == [
        live["number"],
        draft["number"],
    ]
    drafts = (await api(MY_COMPANY, {"statuses": ["DRAFT"]}, token=owner.token))["viewer"]
    assert [e["node"]["status"] for e in drafts["company"]["offers"]["edges"]] == ["DRAFT"]
    # candidats cannot post offers
    payload = await api(OFFER_CREATE, {"input": offer_form()}, token=candidate.token)
    assert payload["offerCreate"]["userErrors"][0]["code"] == "WRONG_ACCOUNT_KIND"
    assert (await api(MY_COMPANY, {}, token=candidate.token))["viewer"]["company"] is None


async def test_an_update_is_checked_again_and_kept(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    offer = await post_offer(api, employer.token)
    changes = {
        "id": offer["id"],
        "intitule": "Boulanger confirmé",
        "salaire": {"min": 12.5, "period": "HOURLY"},
        "qualification": None,
    }
    updated = (await api(OFFER_UPDATE, {"input": changes}, token=employer.token))["offerUpdate"]
    assert updated["userErrors"] == []
    assert updated["offer"]["intitule"] == "Boulanger confirmé"
    assert updated["offer"]["qualification"] is None
    assert updated["offer"]["salaire"]["libelle"] == "Horaire de 12.50 Euros"
    assert updated["offer"]["salaire"]["monthlyMin"] == 1895.88  # 12.50 x 151.67
    bad = {"id": offer["id"], "romeCode": "D99"}
    refused = (await api(OFFER_UPDATE, {"input": bad}, token=employer.token))["offerUpdate"]
    assert refused["userErrors"] == [{"field": "romeCode", "code": "UNKNOWN_ROME_CODE"}]


async def test_the_company_is_checked_siret_by_luhn(api: GraphQL) -> None:
    employer = await sign_up_employer(api, company_name="Conserverie du Goëlo")
    company = {
        "name": "Conserverie du Goëlo (fictive)",
        "siret": "732 829 320 00074",
        "nafCode": "1020z",
        "sizeBand": "SALARIES_20_49",
        "description": "Conserves de poisson depuis 1920.",
    }
    payload = await api(COMPANY_UPDATE, {"input": company}, token=employer.token)
    saved = payload["companyUpdate"]
    assert saved["userErrors"] == []
    assert saved["company"]["siret"] == "73282932000074"
    assert saved["company"]["nafCode"] == "10.20Z"
    # La Poste's establishments: digit sum multiple of 5, not Luhn
    la_poste = {"siret": "35600000049837"}
    ok = await api(COMPANY_UPDATE, {"input": la_poste}, token=employer.token)
    assert ok["companyUpdate"]["company"]["siret"] == "35600000049837"
    bad = {"siret": "73282932000075", "nafCode": "10-20", "name": ""}
    refused = await api(COMPANY_UPDATE, {"input": bad}, token=employer.token)
    assert codes(refused["companyUpdate"]) == {
        "siret": "INVALID_SIRET",
        "nafCode": "INVALID_NAF_CODE",
        "name": "REQUIRED",
    }
    candidate = await sign_up_candidate(api)
    denied = await api(COMPANY_UPDATE, {"input": {"name": "X"}}, token=candidate.token)
    assert denied["companyUpdate"]["userErrors"][0]["code"] == "WRONG_ACCOUNT_KIND"
