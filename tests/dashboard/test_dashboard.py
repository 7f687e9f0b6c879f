"""Tableau de bord: events since the last visit, counts, "Mes actions", announcements."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher, links
from tests.support.dossiers import create_dossier, dre, sign_up_adviser

DASHBOARD = """
query($first: Int, $after: String) {
  viewer { dashboard {
    lastVisitAt
    newSinceLastVisit { dossiers account messages proposals applications savedOffers alerts cvs }
    actions { code message dossierId }
    events(first: $first, after: $after) {
      edges { cursor node { id kind service message subjectId cursor payload } }
      pageInfo { hasNextPage endCursor }
    }
  } }
}"""

VISIT = "mutation { dashboardVisit { dashboard { lastVisitAt } userErrors { code } } }"

DOSSIER_CREATE = """
mutation($input: DossierCreateInput!) { dossierCreate(input: $input) {
  dossier { id } userErrors { field code } } }"""

NODE = "query($id: ID!) { node(id: $id) { id ... on DashboardEvent { kind message } } }"

PUBLISH = """
mutation($input: AnnouncementPublishInput!) { announcementPublish(input: $input) {
  announcement { id kind title regionCode eventDate } userErrors { field code } } }"""

ANNOUNCEMENTS = """
query($region: String) { announcements(first: 10, regionCode: $region) {
  edges { node { title regionCode } } } }"""


async def dashboard(api: GraphQL, token: str, **variables: Any) -> dict[str, Any]:
    data = await api(DASHBOARD, variables, token=token)
    board: dict[str, Any] = data["viewer"]["dashboard"]
    return board


async def test_events_since_the_last_visit_and_the_visit_moves_on(api: GraphQL) -> None:
    # Given a candidat who signed in and created a dossier
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token)

    # Then the dashboard shows both, newest first, counted per service
    board = await dashboard(api, candidate.token)
    assert board["lastVisitAt"] is None
    kinds = [e["node"]["kind"] for e in board["events"]["edges"]]
    assert kinds == ["DOSSIER_CREATED", "SIGNED_IN"]
    assert board["events"]["edges"][0]["node"]["message"] == "Dossier « DRE1 » créé."
    assert board["newSinceLastVisit"]["dossiers"] == 1
    assert board["newSinceLastVisit"]["account"] == 1
    assert board["newSinceLastVisit"]["messages"] == 0

    # When the visit is recorded, nothing is new any more
    visited = await api(VISIT, token=candidate.token)
    assert visited["dashboardVisit"]["dashboard"]["lastVisitAt"] is not None
    board = await dashboard(api, candidate.token)
    assert board["lastVisitAt"] is not None
    assert set(board["newSinceLastVisit"].values()) == {0}

    # And a later change counts again
    await create_dossier(api, candidate.token, name="DRE2")
    board = await dashboard(api, candidate.token)
    assert board["newSinceLastVisit"]["dossiers"] == 1
    assert len(board["events"]["edges"]) == 3  # the log keeps everything


async def test_events_paginate_newest_first(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    for n in range(1, 4):
        await create_dossier(api, candidate.token, name=f"DRE{n}")
    page1 = (await dashboard(api, candidate.token, first=2))["events"]
    page2 = (await dashboard(api, candidate.token, first=2, after=page1["pageInfo"]["endCursor"]))[
        "events"
    ]
    names = [e["node"]["payload"].get("name") for e in page1["edges"] + page2["edges"]]
    assert names == ["DRE3", "DRE2", "DRE1", None]
    assert page1["pageInfo"]["hasNextPage"] is True
    assert page2["pageInfo"]["hasNextPage"] is False


async def test_a_rolled_back_mutation_leaves_no_event(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    before = await dashboard(api, candidate.token)
    refused = await api(
        DOSSIER_CREATE, {"input": dre(phoneMobile="pas un numéro")}, token=candidate.token
    )
    assert refused["dossierCreate"]["userErrors"]
    after = await dashboard(api, candidate.token)
    assert after["events"] == before["events"]


async def test_mes_actions(api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher) -> None:
    # Given a candidat without a dossier: create one
    candidate = await sign_up_candidate(api)
    assert [a["code"] for a in (await dashboard(api, candidate.token))["actions"]] == [
        "CREATE_DOSSIER"
    ]
    # With an unconfirmed e-mail and no phone: two actions about that dossier
    dossier = await create_dossier(
        api, candidate.token, phoneMobile=None, email="actions@example.org"
    )
    actions = (await dashboard(api, candidate.token))["actions"]
    assert [a["code"] for a in actions] == ["CONFIRM_EMAIL", "ADD_PHONE"]
    assert {a["dossierId"] for a in actions} == {dossier["id"]}
    assert "candidatures en ligne" in actions[1]["message"]
    # Once the address is confirmed and a phone given: "aucune action à réaliser"
    [mail] = await smtp.wait_for(1, to="actions@example.org")
    assert (await http.get(links(mail)[0])).status_code == 200
    await api(
        """mutation($id: ID!) { dossierUpdate(input: {id: $id, phoneMobile: "0612345678"}) {
             userErrors { code } } }""",
        {"id": dossier["id"]},
        token=candidate.token,
    )
    assert (await dashboard(api, candidate.token))["actions"] == []


async def test_only_the_owner_sees_an_event(api: GraphQL) -> None:
    owner = await sign_up_candidate(api)
    other = await sign_up_candidate(api)
    event_id = (await dashboard(api, owner.token))["events"]["edges"][0]["node"]["id"]
    assert (await api(NODE, {"id": event_id}, token=owner.token))["node"]["kind"] == "SIGNED_IN"
    assert (await api(NODE, {"id": event_id}, token=other.token))["node"] is None
    assert (await api(NODE, {"id": event_id}))["node"] is None


async def test_advisers_publish_announcements(server: LiveServer, api: GraphQL) -> None:
    adviser = await sign_up_adviser(server, api)
    candidate = await sign_up_candidate(api)
    national = {"kind": "ACTUALITE", "title": "Nouveau service", "body": "Texte <b>brut</b>."}
    breton = {
        "kind": "EVENEMENT",
        "title": "Forum de Guingamp",
        "body": "Sans rendez-vous.",
        "regionCode": "53",
        "eventDate": "2027-03-18",
    }
    for item in (national, breton):
        published = await api(PUBLISH, {"input": item}, token=adviser)
        assert published["announcementPublish"]["userErrors"] == []
    # An event needs a date; a candidat cannot publish
    undated = await api(PUBLISH, {"input": {**breton, "eventDate": None}}, token=adviser)
    assert [e["code"] for e in undated["announcementPublish"]["userErrors"]] == ["REQUIRED"]
    refused = await api(PUBLISH, {"input": national}, token=candidate.token)
    assert [e["code"] for e in refused["announcementPublish"]["userErrors"]] == ["FORBIDDEN"]
    # Past announcements, national and per région
    everything = await api(ANNOUNCEMENTS, {})
    assert [e["node"]["title"] for e in everything["announcements"]["edges"]] == [
        "Forum de Guingamp",
        "Nouveau service",
    ]
    elsewhere = await api(ANNOUNCEMENTS, {"region": "11"})
    assert [e["node"]["title"] for e in elsewhere["announcements"]["edges"]] == ["Nouveau service"]
