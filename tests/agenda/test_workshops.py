"""Workshops (« Événements »): an adviser opens places, candidats of the agency register
until it is full, and the workshop joins their agenda among their appointments."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from icalendar import Calendar

from tests.agenda.test_agenda import AGENDA, FEED_CREATE, SCHEDULE, at, mutate, start_clock
from tests.conftest import LiveServer
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import codes

CREATE = """
mutation ($input: WorkshopCreateInput!) {
  workshopCreate(input: $input) {
    workshop { id title address places placesLeft registered }
    userErrors { field code }
  }
}
"""
REGISTER = """
mutation ($input: WorkshopInput!) {
  workshopRegister(input: $input) {
    workshop { id placesLeft registered } userErrors { field code }
  }
}
"""
UNREGISTER = """
mutation ($input: WorkshopInput!) {
  workshopUnregister(input: $input) {
    workshop { id placesLeft registered } userErrors { field code }
  }
}
"""
WORKSHOPS = """
{ viewer { workshops(first: 10) { edges { node { id title placesLeft registered } } } } }
"""


async def feed_url(api: GraphQL, token: str) -> str:
    url: str = (await api(FEED_CREATE, token=token))["calendarFeedCreate"]["url"]
    return url


async def test_places_registration_and_one_agenda(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given an adviser of Guingamp, one of Brest, and three candidats of Guingamp
    clock = start_clock(server)
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    first, second, third = [
        await registered_candidate(api, http, smtp, agencies["GUI01"], f"atelier{n}@example.org")
        for n in (1, 2, 3)
    ]
    day = clock.now() + timedelta(days=4)

    # Field errors come all at once; advisers only
    payload = await mutate(
        api, CREATE, adviser, title="", startsAt=at(clock.now()), durationMinutes=5, places=0
    )
    assert codes(payload) == {
        "title": "REQUIRED",
        "startsAt": "OUT_OF_RANGE",
        "durationMinutes": "OUT_OF_RANGE",
        "places": "OUT_OF_RANGE",
    }
    payload = await mutate(
        api, CREATE, first.token, title="x", startsAt=at(day), durationMinutes=60, places=2
    )
    assert codes(payload) == {None: "FORBIDDEN"}

    # When the adviser opens a workshop of two places
    payload = await mutate(
        api,
        CREATE,
        adviser,
        title="Atelier : réussir son entretien",
        startsAt=at(day),
        durationMinutes=120,
        places=2,
    )
    workshop = payload["workshop"]
    assert workshop["address"] == "Agence de Guingamp, 3 rue de la Madeleine 22200"
    assert workshop["placesLeft"] == 2

    # Then candidats of the agency see it; Brest does not
    [edge] = (await api(WORKSHOPS, token=first.token))["viewer"]["workshops"]["edges"]
    assert edge["node"] == {
        "id": workshop["id"],
        "title": "Atelier : réussir son entretien",
        "placesLeft": 2,
        "registered": False,
    }
    assert (await api(WORKSHOPS, token=brest))["viewer"]["workshops"]["edges"] == []

    # Two candidats at once take the two places; the third finds it full
    results = await asyncio.gather(
        mutate(api, REGISTER, first.token, id=workshop["id"]),
        mutate(api, REGISTER, second.token, id=workshop["id"]),
    )
    assert sorted(r["workshop"]["placesLeft"] for r in results) == [0, 1]
    assert codes(await mutate(api, REGISTER, third.token, id=workshop["id"])) == {
        "id": "WORKSHOP_FULL"
    }
    assert codes(await mutate(api, REGISTER, first.token, id=workshop["id"])) == {"id": "DUPLICATE"}
    # A place given back is free again
    payload = await mutate(api, UNREGISTER, second.token, id=workshop["id"])
    assert payload["workshop"] == {"id": workshop["id"], "placesLeft": 1, "registered": False}
    payload = await mutate(api, REGISTER, third.token, id=workshop["id"])
    assert payload["workshop"]["placesLeft"] == 0

    # « Mon agenda » is one list: an appointment the day before, then the workshop
    await mutate(
        api,
        SCHEDULE,
        adviser,
        identifiant=first.identifiant,
        theme="Préparation de l'atelier",
        startsAt=at(day - timedelta(days=1)),
        durationMinutes=30,
        modality="TELEPHONE",
    )
    page = (await api(AGENDA, {"first": 1}, token=first.token))["viewer"]["agenda"]
    assert [e["node"]["__typename"] for e in page["edges"]] == ["Appointment"]
    variables = {"first": 5, "after": page["pageInfo"]["endCursor"]}
    page = (await api(AGENDA, variables, token=first.token))["viewer"]["agenda"]
    [edge] = page["edges"]
    assert edge["node"]["__typename"] == "Workshop" and edge["node"]["registered"] is True
    assert page["pageInfo"]["hasNextPage"] is False
    # The one who gave their place back has nothing in their agenda
    assert (await api(AGENDA, token=second.token))["viewer"]["agenda"]["edges"] == []
    # The private calendar feed carries the workshop too
    feed = await feed_url(api, first.token)
    events = Calendar.from_ical((await http.get(feed)).content).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == [
        "Rendez-vous France Travail : Préparation de l'atelier",
        "Événement France Travail : Atelier : réussir son entretien",
    ]
    # Brest cannot register anyone to it
    assert codes(await mutate(api, REGISTER, brest, id=workshop["id"])) == {"id": "NOT_FOUND"}
