"""Télécandidatures: applying (phone, CV, offer, once), the status machine, who sees what,
and the dashboard events both sides receive, live for the candidat."""

from __future__ import annotations

import asyncio

from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.applications import (
    DASHBOARD_EVENTS,
    add_cv,
    applicant,
    apply,
    employer_with_offer,
    error_codes,
    move,
    submit,
    until_listening,
    withdraw,
)
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.offers import create_offer, post_offer
from tests.support.ws import subscribed

MY_APPLICATIONS = """
{ viewer { applications(first: 10) {
  edges { node { id status offer { number } history { status by } dossier { name } } }
} } }
"""
RECEIVED = """
query ($offerId: ID, $statuses: [ApplicationStatus!]) {
  viewer { receivedApplications(first: 10, offerId: $offerId, statuses: $statuses) {
    edges { node { id status message applicant { nom prenom email phoneMobile { e164 } }
                   dossier { name } offer { number } cv { title visibility } } }
  } }
}
"""
NODE = """
query ($id: ID!) { node(id: $id) { ... on Application { id status applicant { nom } } } }
"""
DASHBOARD = """
{ viewer { dashboard {
  newSinceLastVisit { applications }
  events(first: 10) { edges { node { kind message subjectId payload } } }
} } }
"""
CLOSE = "mutation ($id: ID!) { offerClose(input: {id: $id}) { userErrors { code } } }"

EMPLOYER_MOVES = {
    "SENT": {"VIEWED"},
    "VIEWED": {"IN_PROGRESS"},
    "IN_PROGRESS": {"ACCEPTED", "REFUSED"},
    "ACCEPTED": set(),
    "REFUSED": set(),
    "WITHDRAWN": set(),
}
PATHS = {
    "SENT": [],
    "VIEWED": ["VIEWED"],
    "IN_PROGRESS": ["VIEWED", "IN_PROGRESS"],
    "ACCEPTED": ["VIEWED", "IN_PROGRESS", "ACCEPTED"],
    "REFUSED": ["VIEWED", "IN_PROGRESS", "REFUSED"],
}


async def test_an_application_goes_through_its_statuses_and_the_candidat_sees_each_live(
    server: LiveServer, api: GraphQL
) -> None:
    # given a candidat listening to the dashboard, and an employer's published offer
    who = await applicant(server, api)
    employer, offer = await employer_with_offer(api)
    async with subscribed(server, who.candidate.token, DASHBOARD_EVENTS) as ws:
        await until_listening(ws)
        # when the candidat applies
        application = await apply(api, who, offer["id"])
        assert application["status"] == "SENT"
        assert application["offer"]["number"] == offer["number"]
        assert application["cv"]["id"] == who.cv_id
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["kind"] == "APPLICATION_SUBMITTED"
        assert event["subjectId"] == application["id"]
        assert event["message"] == "Candidature envoyée pour l'offre « Boulanger »."
        # and the employer moves it on, step by step, then the candidat sees each step live
        for status, label in [
            ("VIEWED", "consultée par l'employeur"),
            ("IN_PROGRESS", "en cours d'étude"),
            ("ACCEPTED", "acceptée"),
        ]:
            payload = await move(api, employer.token, application["id"], status, "Merci.")
            assert payload["userErrors"] == [] and payload["application"]["status"] == status
            event = (await ws.next_data("1"))["dashboardEvents"]
            assert event["kind"] == "APPLICATION_STATUS_CHANGED"
            assert event["payload"]["status"] == status
            assert event["message"] == f"Candidature à l'offre « Boulanger » : {label}."
    # then the candidat sees the whole history, oldest first
    data = await api(MY_APPLICATIONS, token=who.candidate.token)
    [node] = [e["node"] for e in data["viewer"]["applications"]["edges"]]
    assert node["status"] == "ACCEPTED" and node["dossier"]["name"] == "DRE1"
    assert [(h["status"], h["by"]) for h in node["history"]] == [
        ("SENT", "CANDIDAT"),
        ("VIEWED", "EMPLOYER"),
        ("IN_PROGRESS", "EMPLOYER"),
        ("ACCEPTED", "EMPLOYER"),
    ]
    # and the employer got a notice for each change on its dashboard
    board = (await api(DASHBOARD, token=employer.token))["viewer"]["dashboard"]
    kinds = [e["node"]["kind"] for e in board["events"]["edges"]]
    assert kinds[:4] == ["APPLICATION_STATUS_CHANGED"] * 3 + ["APPLICATION_SUBMITTED"]
    assert board["newSinceLastVisit"]["applications"] == 4


async def test_the_employer_sees_the_applicant_and_only_applications_to_its_offers(
    server: LiveServer, api: GraphQL
) -> None:
    # given two employers, and a candidat who applied to the first one's offer
    who = await applicant(server, api, email="annaig.legoff@example.org")
    employer, offer = await employer_with_offer(api)
    other, other_offer = await employer_with_offer(api, company_name="Crêperie de Paimpol")
    application = await apply(api, who, offer["id"])
    # then the first employer lists it, with the applicant's name and contact
    data = await api(RECEIVED, token=employer.token)
    [node] = [e["node"] for e in data["viewer"]["receivedApplications"]["edges"]]
    assert node["applicant"] == {
        "nom": "Le Goff",
        "prenom": "Annaïg",
        "email": "annaig.legoff@example.org",
        "phoneMobile": {"e164": "+33612345678"},
    }
    assert node["dossier"] is None  # the dossier itself stays the candidat's
    # the CV sent with it is disclosed to this employer, even a private one
    assert node["cv"]["visibility"] == "PRIVATE" and node["cv"]["title"]
    assert node["message"] == "Bonjour, je suis disponible."
    # filtered by offer and by status
    by_offer = await api(RECEIVED, {"offerId": offer["id"]}, token=employer.token)
    assert len(by_offer["viewer"]["receivedApplications"]["edges"]) == 1
    none = await api(RECEIVED, {"statuses": ["VIEWED", "ACCEPTED"]}, token=employer.token)
    assert none["viewer"]["receivedApplications"]["edges"] == []
    # and the other employer sees nothing: not in its list, not by node, not even by offer
    assert (await api(RECEIVED, token=other.token))["viewer"]["receivedApplications"] == {
        "edges": []
    }
    filtered = await api(RECEIVED, {"offerId": offer["id"]}, token=other.token)
    assert filtered["viewer"]["receivedApplications"]["edges"] == []
    assert (await api(NODE, {"id": application["id"]}, token=other.token))["node"] is None
    # nor can it change it
    payload = await move(api, other.token, application["id"], "VIEWED")
    assert error_codes(payload) == {"id": "NOT_FOUND"}
    # the offer's employer can read it by node
    found = await api(NODE, {"id": application["id"]}, token=employer.token)
    assert found["node"]["applicant"]["nom"] == "Le Goff"
    assert other_offer["number"] != offer["number"]


async def test_a_candidat_sees_only_its_own_applications(server: LiveServer, api: GraphQL) -> None:
    who = await applicant(server, api)
    _, offer = await employer_with_offer(api)
    application = await apply(api, who, offer["id"])
    stranger = await sign_up_candidate(api)
    data = await api(MY_APPLICATIONS, token=stranger.token)
    assert data["viewer"]["applications"]["edges"] == []
    assert (await api(NODE, {"id": application["id"]}, token=stranger.token))["node"] is None
    assert (await api(NODE, {"id": application["id"]}))["node"] is None  # signed out
    payload = await withdraw(api, stranger.token, application["id"])
    assert error_codes(payload) == {"id": "NOT_FOUND"}


async def test_applying_needs_a_phone_number_on_the_dossier(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api, phoneMobile=None, phoneFixe=None)
    _, offer = await employer_with_offer(api)
    payload = await submit(api, who, offer["id"])
    assert payload["application"] is None
    assert error_codes(payload) == {"dossierId": "PHONE_REQUIRED"}
    assert "téléphone" in payload["userErrors"][0]["message"]


async def test_applying_twice_to_the_same_offer_is_refused(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api)
    _, offer = await employer_with_offer(api)
    await apply(api, who, offer["id"])
    payload = await submit(api, who, offer["id"])
    assert error_codes(payload) == {"offerId": "DUPLICATE"}


async def test_two_simultaneous_applications_give_one_application(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api)
    _, offer = await employer_with_offer(api)
    payloads = await asyncio.gather(*(submit(api, who, offer["id"]) for _ in range(4)))
    accepted = [p for p in payloads if not p["userErrors"]]
    assert len(accepted) == 1
    assert all(error_codes(p) == {"offerId": "DUPLICATE"} for p in payloads if p["userErrors"])


async def test_only_published_offers_take_applications(server: LiveServer, api: GraphQL) -> None:
    who = await applicant(server, api)
    employer = await sign_up_employer(api)
    draft = await create_offer(api, employer.token)
    closed = await post_offer(api, employer.token)
    await api(CLOSE, {"id": closed["id"]}, token=employer.token)
    assert error_codes(await submit(api, who, draft["id"])) == {"offerId": "NOT_FOUND"}
    assert error_codes(await submit(api, who, closed["id"])) == {"offerId": "OFFER_CLOSED"}
    assert error_codes(await submit(api, who, "T2ZmZXI6OTk5OTk=")) == {"offerId": "NOT_FOUND"}


async def test_the_cv_must_be_the_candidats_own_and_of_the_dossier(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api)
    other = await applicant(server, api)
    _, offer = await employer_with_offer(api)
    # another candidat's CV
    who.cv_id, mine = other.cv_id, who.cv_id
    assert error_codes(await submit(api, who, offer["id"])) == {"cvId": "NOT_FOUND"}
    # the candidat's own CV, but of another dossier
    second = await create_dossier(api, who.candidate.token, name="DRE2")
    who.cv_id = await add_cv(api, who.candidate, second["id"])
    assert error_codes(await submit(api, who, offer["id"])) == {"cvId": "NOT_FOUND"}
    who.cv_id = mine
    assert (await submit(api, who, offer["id"]))["userErrors"] == []


async def test_employers_cannot_apply_and_candidats_cannot_move_applications(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api)
    employer, offer = await employer_with_offer(api)
    application = await apply(api, who, offer["id"])
    payload = await move(api, who.candidate.token, application["id"], "VIEWED")
    assert error_codes(payload) == {None: "WRONG_ACCOUNT_KIND"}
    payload = await withdraw(api, employer.token, application["id"])
    assert error_codes(payload) == {None: "WRONG_ACCOUNT_KIND"}
