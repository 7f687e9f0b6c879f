"""The classeur (saved offers, and the events when one changes, closes or expires) and
saved search criteria per dossier."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from models.base import utcnow
from models.offers import Offer
from resolvers.offers.manage import expire_offers
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer, write_session
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier
from tests.support.offers import OFFER_FIELDS, create_offer, numbers_of, post_offer

SAVE = """
mutation ($id: ID!) {
  classeurSave(input: {offerId: $id}) {
    entry { savedAt offer { number savedInClasseur } } userErrors { field code }
  }
}
"""
REMOVE = """
mutation ($id: ID!) {
  classeurRemove(input: {offerId: $id}) { removedOfferId userErrors { field code } }
}
"""
CLASSEUR = """
{ viewer { classeur(first: 10) { edges { node { savedAt offer { number status } } } } } }
"""
DASHBOARD = """
{
  viewer { dashboard {
    newSinceLastVisit { savedOffers }
    events(first: 10) { edges { node { kind service message subjectId payload } } }
  } }
}
"""
OFFER_UPDATE = f"""
mutation ($input: OfferUpdateInput!) {{
  offerUpdate(input: $input) {{ offer {{ {OFFER_FIELDS} }} userErrors {{ field code }} }}
}}
"""
CLOSE = "mutation ($id: ID!) { offerClose(input: {id: $id}) { userErrors { code } } }"
PAUSE = "mutation ($id: ID!) { offerPause(input: {id: $id}) { userErrors { code } } }"

SAVED_SEARCH_CREATE = """
mutation ($input: SavedSearchCreateInput!) {
  savedSearchCreate(input: $input) {
    savedSearch { id name dossierId criteria { keywords departements typesContrat radiusKm } }
    userErrors { field code }
  }
}
"""
SAVED_SEARCH_UPDATE = """
mutation ($input: SavedSearchUpdateInput!) {
  savedSearchUpdate(input: $input) {
    savedSearch { name criteria { keywords typesContrat } } userErrors { field code }
  }
}
"""
SAVED_SEARCH_DELETE = """
mutation ($id: ID!) {
  savedSearchDelete(input: {id: $id}) { deletedSavedSearchId userErrors { field code } }
}
"""
DOSSIER_SEARCHES = """
query ($id: ID!) {
  node(id: $id) { ... on Dossier { savedSearches { edges { node {
    id name run(first: 5) { totalCount edges { node { number } } }
  } } } } }
}
"""
RUN_BY_ID = """
query ($id: ID!) {
  offerSearch(savedSearchId: $id) { totalCount edges { node { number } } userErrors { field code } }
}
"""


def offer_events(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """The dashboard's events about saved offers, newest first (sign-ins left out)."""
    edges = dashboard["viewer"]["dashboard"]["events"]["edges"]
    return [e["node"] for e in edges if e["node"]["service"] == "SAVED_OFFERS"]


def event_kinds(dashboard: dict[str, Any]) -> list[str]:
    return [node["kind"] for node in offer_events(dashboard)]


async def test_a_candidat_saves_and_removes_offers(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    candidate = await sign_up_candidate(api)
    first = await post_offer(api, employer.token)
    second = await post_offer(api, employer.token, intitule="Boulanger de nuit")

    saved = (await api(SAVE, {"id": first["id"]}, token=candidate.token))["classeurSave"]
    assert saved["userErrors"] == []
    assert saved["entry"]["offer"] == {"number": first["number"], "savedInClasseur": True}
    again = (await api(SAVE, {"id": first["id"]}, token=candidate.token))["classeurSave"]
    assert again["userErrors"] == []  # saving twice keeps one entry
    await api(SAVE, {"id": second["id"]}, token=candidate.token)

    listed = (await api(CLASSEUR, token=candidate.token))["viewer"]["classeur"]["edges"]
    assert [e["node"]["offer"]["number"] for e in listed] == [second["number"], first["number"]]

    removed = (await api(REMOVE, {"id": first["id"]}, token=candidate.token))["classeurRemove"]
    assert removed == {"removedOfferId": first["id"], "userErrors": []}
    gone = (await api(REMOVE, {"id": first["id"]}, token=candidate.token))["classeurRemove"]
    assert gone["userErrors"] == [{"field": "offerId", "code": "NOT_FOUND"}]
    listed = (await api(CLASSEUR, token=candidate.token))["viewer"]["classeur"]["edges"]
    assert [e["node"]["offer"]["number"] for e in listed] == [second["number"]]


async def test_only_candidats_save_published_offers(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    candidate = await sign_up_candidate(api)
    draft = await create_offer(api, employer.token)
    live = await post_offer(api, employer.token)
    refused = (await api(SAVE, {"id": draft["id"]}, token=candidate.token))["classeurSave"]
    assert refused["userErrors"] == [{"field": "offerId", "code": "NOT_FOUND"}]
    not_candidat = (await api(SAVE, {"id": live["id"]}, token=employer.token))["classeurSave"]
    assert not_candidat["userErrors"] == [{"field": None, "code": "WRONG_ACCOUNT_KIND"}]
    anonymous = (await api(SAVE, {"id": live["id"]}))["classeurSave"]
    assert anonymous["userErrors"] == [{"field": None, "code": "UNAUTHENTICATED"}]
    bad_id = (await api(SAVE, {"id": "not-an-id"}, token=candidate.token))["classeurSave"]
    assert bad_id["userErrors"] == [{"field": "offerId", "code": "NOT_FOUND"}]


async def test_savers_are_told_when_the_offer_changes_and_closes(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    offer = await post_offer(api, employer.token)
    savers = [await sign_up_candidate(api), await sign_up_candidate(api)]
    bystander = await sign_up_candidate(api)
    for saver in savers:
        await api(SAVE, {"id": offer["id"]}, token=saver.token)

    # when the employer changes the salary, pauses, then closes the offer
    change = {"input": {"id": offer["id"], "salaire": {"min": 2000, "period": "MONTHLY"}}}
    assert (await api(OFFER_UPDATE, change, token=employer.token))["offerUpdate"][
        "userErrors"
    ] == []
    assert (await api(PAUSE, {"id": offer["id"]}, token=employer.token))["offerPause"] == {
        "userErrors": []
    }
    assert (await api(CLOSE, {"id": offer["id"]}, token=employer.token))["offerClose"] == {
        "userErrors": []
    }

    # then each saver has three events, newest first, counted as saved offers
    for saver in savers:
        board = await api(DASHBOARD, token=saver.token)
        assert event_kinds(board) == [
            "SAVED_OFFER_CLOSED",
            "SAVED_OFFER_CHANGED",
            "SAVED_OFFER_CHANGED",
        ]
        nodes = offer_events(board)
        assert (
            nodes[0]["message"] == "L'offre « Boulanger » de votre classeur n'est plus disponible."
        )
        assert nodes[2]["message"] == "L'offre « Boulanger » de votre classeur a été modifiée."
        changed = nodes[2]["payload"]
        assert (changed["name"], changed["number"], changed["reason"]) == (
            "Boulanger",
            offer["number"],
            "updated",
        )
        assert {"salaire_min", "salaire_max", "salaire_libelle"} <= set(changed["fields"])
        assert nodes[1]["payload"]["reason"] == "paused"
        assert {n["subjectId"] for n in nodes} == {offer["id"]}
        assert {n["service"] for n in nodes} == {"SAVED_OFFERS"}
        assert board["viewer"]["dashboard"]["newSinceLastVisit"]["savedOffers"] == 3
        # the classeur still shows the offer, closed
        listed = (await api(CLASSEUR, token=saver.token))["viewer"]["classeur"]["edges"]
        assert listed[0]["node"]["offer"] == {"number": offer["number"], "status": "CLOSED"}
    assert event_kinds(await api(DASHBOARD, token=bystander.token)) == []


async def test_an_expired_offer_leaves_the_search_and_tells_its_savers(
    api: GraphQL, server: LiveServer
) -> None:
    employer = await sign_up_employer(api)
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    offer = await post_offer(api, employer.token, expiresOn=tomorrow)
    saver = await sign_up_candidate(api)
    await api(SAVE, {"id": offer["id"]}, token=saver.token)
    async with write_session(server) as session:
        await session.execute(
            update(Offer)
            .where(Offer.number == offer["number"])
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    # not found any more, even before the expiry run
    search = "{ offerSearch { totalCount } }"
    assert (await api(search))["offerSearch"]["totalCount"] == 0
    # the expiry run closes it and tells the saver
    async with write_session(server) as session:
        assert await expire_offers(session, utcnow()) == 1
    board = await api(DASHBOARD, token=saver.token)
    assert event_kinds(board) == ["SAVED_OFFER_CLOSED"]
    assert offer_events(board)[0]["payload"]["reason"] == "expired"


async def test_saved_criteria_are_kept_per_dossier_and_run_again(api: GraphQL) -> None:
    employer = await sign_up_employer(api)
    wanted = await post_offer(api, employer.token)
    await post_offer(api, employer.token, typeContrat="CDD", dureeContratMois=6)
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token)
    criteria = {"keywords": "boulangère", "departements": ["22"], "typesContrat": ["CDI"]}
    create = {"dossierId": dossier["id"], "name": "Boulangerie CDI", "criteria": criteria}

    payload = await api(SAVED_SEARCH_CREATE, {"input": create}, token=candidate.token)
    saved = payload["savedSearchCreate"]
    assert saved["userErrors"] == []
    search = saved["savedSearch"]
    assert search["dossierId"] == dossier["id"]
    assert search["criteria"] == {
        "keywords": "boulangère",
        "departements": ["22"],
        "typesContrat": ["CDI"],
        "radiusKm": None,
    }
    # listed on the dossier, and re-run without retyping, two ways
    mine = await api(DOSSIER_SEARCHES, {"id": dossier["id"]}, token=candidate.token)
    [listed] = mine["node"]["savedSearches"]["edges"]
    assert listed["node"]["name"] == "Boulangerie CDI"
    assert numbers_of(listed["node"]["run"]) == [wanted["number"]]
    by_id = (await api(RUN_BY_ID, {"id": search["id"]}, token=candidate.token))["offerSearch"]
    assert by_id["totalCount"] == 1 and numbers_of(by_id) == [wanted["number"]]

    # same name twice, bad criteria: every error at once
    twice = {**create, "criteria": {"romeCodes": ["Z9999"], "distanceKm": 5}}
    refused = await api(SAVED_SEARCH_CREATE, {"input": twice}, token=candidate.token)
    assert refused["savedSearchCreate"]["userErrors"] == [
        {"field": "name", "code": "DUPLICATE"},
        {"field": "criteria.romeCodes", "code": "UNKNOWN_ROME_CODE"},
        {"field": "criteria.distanceKm", "code": "DISTANCE_WITHOUT_COMMUNE"},
    ]
    # change it: all contracts now
    change = {"id": search["id"], "name": "Boulangerie", "criteria": {"keywords": "boulanger"}}
    updated = await api(SAVED_SEARCH_UPDATE, {"input": change}, token=candidate.token)
    assert updated["savedSearchUpdate"] == {
        "savedSearch": {
            "name": "Boulangerie",
            "criteria": {"keywords": "boulanger", "typesContrat": []},
        },
        "userErrors": [],
    }
    rerun = (await api(RUN_BY_ID, {"id": search["id"]}, token=candidate.token))["offerSearch"]
    assert rerun["totalCount"] == 2

    # another candidat cannot see, run, change or delete it
    other = await sign_up_candidate(api)
    hidden = (await api(RUN_BY_ID, {"id": search["id"]}, token=other.token))["offerSearch"]
    assert hidden["userErrors"] == [{"field": "savedSearchId", "code": "NOT_FOUND"}]
    stolen = await api(SAVED_SEARCH_DELETE, {"id": search["id"]}, token=other.token)
    assert stolen["savedSearchDelete"]["userErrors"] == [{"field": "id", "code": "NOT_FOUND"}]
    deleted = await api(SAVED_SEARCH_DELETE, {"id": search["id"]}, token=candidate.token)
    assert deleted["savedSearchDelete"] == {"deletedSavedSearchId": search["id"], "userErrors": []}
    mine = await api(DOSSIER_SEARCHES, {"id": dossier["id"]}, token=candidate.token)
    assert mine["node"]["savedSearches"]["edges"] == []


LIVE_EVENTS = "subscription { dashboardEvents { kind message subjectId } }"


async def test_closing_a_saved_offer_is_pushed_live_to_each_saver(
    api: GraphQL, server: LiveServer
) -> None:
    from tests.support.ws import eventually, subscribed

    employer = await sign_up_employer(api)
    offer = await post_offer(api, employer.token)
    saver = await sign_up_candidate(api)
    await api(SAVE, {"id": offer["id"]}, token=saver.token)
    async with subscribed(server, saver.token, LIVE_EVENTS) as ws:
        await eventually(lambda: bool(server.app.state.hub.groups))
        await api(CLOSE, {"id": offer["id"]}, token=employer.token)
        event = (await ws.next_data("1"))["dashboardEvents"]
    assert event == {
        "kind": "SAVED_OFFER_CLOSED",
        "message": "L'offre « Boulanger » de votre classeur n'est plus disponible.",
        "subjectId": offer["id"],
    }
