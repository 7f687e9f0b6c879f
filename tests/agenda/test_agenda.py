"""Agenda: an adviser schedules an appointment, the candidat sees it live, confirms it,
exports it as .ics, gets the reminder 48 h before; the 24 h rule; the private feed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from icalendar import Calendar

from espace import scheduler
from ground.clock import Clock
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.dossiers import codes
from tests.support.ws import subscribed

FIELDS = "id theme startsAt endsAt modality address link adviserName status canAnswer icsUrl"
SCHEDULE = f"""
mutation ($input: AppointmentScheduleInput!) {{
  appointmentSchedule(input: $input) {{ appointment {{ {FIELDS} }} userErrors {{ field code }} }}
}}
"""
UPDATE = f"""
mutation ($input: AppointmentUpdateInput!) {{
  appointmentUpdate(input: $input) {{ appointment {{ {FIELDS} }} userErrors {{ field code }} }}
}}
"""
CONFIRM = f"""
mutation ($input: AppointmentInput!) {{
  appointmentConfirm(input: $input) {{ appointment {{ {FIELDS} }} userErrors {{ field code }} }}
}}
"""
CANCEL = f"""
mutation ($input: AppointmentInput!) {{
  appointmentCancel(input: $input) {{ appointment {{ {FIELDS} }} userErrors {{ field code }} }}
}}
"""
RESCHEDULE = """
mutation ($input: AppointmentRescheduleRequestInput!) {
  appointmentRescheduleRequest(input: $input) {
    appointment { status candidatNote } userErrors { field code }
  }
}
"""
AGENDA = f"""
query ($upcomingOnly: Boolean, $first: Int, $after: String) {{
  viewer {{ agenda(upcomingOnly: $upcomingOnly, first: $first, after: $after) {{
    edges {{ node {{
      __typename
      ... on Appointment {{ {FIELDS} }}
      ... on Workshop {{ id title startsAt placesLeft registered }}
    }} }}
    pageInfo {{ hasNextPage endCursor }}
  }} }}
}}
"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on Appointment { theme } } }"
FEED_CREATE = "mutation { calendarFeedCreate { url userErrors { code } } }"
FEED_REVOKE = "mutation { calendarFeedRevoke { revoked userErrors { code } } }"
EVENTS = "subscription { dashboardEvents { kind message subjectId } }"


async def mutate(api: GraphQL, document: str, token: str, **fields: Any) -> dict[str, Any]:
    data = await api(document, {"input": fields}, token=token)
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


def at(moment: datetime) -> str:
    return moment.isoformat()


def start_clock(server: LiveServer) -> Clock:
    server.runtime.clock.set(datetime.now(UTC).replace(microsecond=0))
    return server.runtime.clock


async def test_an_appointment_from_schedule_to_reminder(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat of Guingamp and their adviser, at a time the test drives
    clock = start_clock(server)
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01", name="Maëlle Le Bihan")
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "rdv@example.org")
    starts = (clock.now() + timedelta(days=5)).replace(minute=0, second=0)

    async with subscribed(server, candidat.token, EVENTS) as ws:
        await until_listening(ws)
        # When the adviser schedules a video appointment
        payload = await mutate(
            api,
            SCHEDULE,
            adviser,
            identifiant=candidat.identifiant,
            theme="Point sur votre projet",
            startsAt=at(starts),
            durationMinutes=45,
            modality="VISIO",
            link="https://visio.example.org/salle/42",
        )
        assert payload["userErrors"] == []
        appointment = payload["appointment"]
        # Then it is pushed live
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["kind"] == "APPOINTMENT_SCHEDULED"
        assert event["subjectId"] == appointment["id"]
        assert event["message"] == "Nouveau rendez-vous : « Point sur votre projet »."

        # And a mail tells the candidat
        [mail] = await smtp.wait_for(1, to="rdv@example.org")
        assert mail["Subject"] == "Un rendez-vous vous est fixé : Point sur votre projet"
        assert "https://visio.example.org/salle/42" in text_part(mail)
        assert "45 minutes, en visio" in text_part(mail)

        # When the candidat confirms
        payload = await mutate(api, CONFIRM, candidat.token, id=appointment["id"])
        assert payload["appointment"]["status"] == "CONFIRMED"
        assert (await ws.next_data("1"))["dashboardEvents"]["kind"] == "APPOINTMENT_CHANGED"

        # And the adviser moves it by a day: pushed live, to be confirmed again
        starts += timedelta(days=1)
        payload = await mutate(api, UPDATE, adviser, id=appointment["id"], startsAt=at(starts))
        assert payload["userErrors"] == []
        assert payload["appointment"]["status"] == "SCHEDULED"
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["message"] == "Rendez-vous « Point sur votre projet » modifié."
    mails = await smtp.wait_for(2, to="rdv@example.org")
    assert mails[1]["Subject"] == "Votre rendez-vous a changé : Point sur votre projet"

    # « Mon agenda » shows it, and its .ics downloads with the bearer token
    [edge] = (await api(AGENDA, token=candidat.token))["viewer"]["agenda"]["edges"]
    node = edge["node"]
    assert node["canAnswer"] is True
    assert datetime.fromisoformat(node["startsAt"]) == starts
    response = await http.get(node["icsUrl"], headers=api.headers(candidat.token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["summary"]) == "Rendez-vous France Travail : Point sur votre projet"
    assert vevent.decoded("dtstart") == starts
    assert vevent.decoded("dtend") == starts + timedelta(minutes=45)
    assert str(vevent["location"]) == "https://visio.example.org/salle/42"
    assert (await http.get(node["icsUrl"])).status_code == 401

    # When the time comes to 47 h before: one reminder, whatever the number of ticks
    clock.set(starts - timedelta(hours=47, minutes=30))
    assert "agenda:reminders" in await scheduler.tick(server.runtime, clock.now())
    await scheduler.tick(server.runtime, clock.advance(timedelta(hours=1)))
    mails = await smtp.wait_for(3, to="rdv@example.org")
    assert mails[2]["Subject"].startswith("Rappel : votre rendez-vous le ")
    assert "Point sur votre projet" in text_part(mails[2])
    await asyncio.sleep(0.3)
    assert len(smtp.for_address("rdv@example.org")) == 3

    # And less than 24 h before, the candidat can no longer cancel or ask to reschedule
    clock.set(starts - timedelta(hours=23))
    payload = await mutate(api, CANCEL, candidat.token, id=appointment["id"])
    assert codes(payload) == {"id": "DEADLINE_PASSED"}
    payload = await mutate(api, RESCHEDULE, candidat.token, id=appointment["id"], note="Lundi")
    assert codes(payload) == {"id": "DEADLINE_PASSED"}
    [edge] = (await api(AGENDA, token=candidat.token))["viewer"]["agenda"]["edges"]
    assert edge["node"]["canAnswer"] is False
    # The adviser still can
    payload = await mutate(api, CANCEL, adviser, id=appointment["id"])
    assert payload["appointment"]["status"] == "CANCELLED"


async def test_rules_agencies_and_the_private_feed(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    clock = start_clock(server)
    agencies = await two_agencies(server, api)
    guingamp = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    candidat = await registered_candidate(api, http, smtp, agencies["GUI01"], "b@example.org")
    other = await sign_up_candidate(api)
    starts = clock.now() + timedelta(days=3)

    # Every field at fault is reported at once
    payload = await mutate(
        api,
        SCHEDULE,
        guingamp,
        identifiant=candidat.identifiant,
        theme=" ",
        startsAt=at(clock.now() - timedelta(hours=1)),
        durationMinutes=5,
        modality="VISIO",
        link="http://insecure.example.org",
    )
    assert codes(payload) == {
        "theme": "REQUIRED",
        "startsAt": "OUT_OF_RANGE",
        "durationMinutes": "OUT_OF_RANGE",
        "link": "INVALID_FORMAT",
    }
    # An adviser of another agency finds no such candidat
    payload = await mutate(
        api,
        SCHEDULE,
        brest,
        identifiant=candidat.identifiant,
        theme="Atelier CV",
        startsAt=at(starts),
        durationMinutes=60,
        modality="TELEPHONE",
    )
    assert codes(payload) == {"identifiant": "NOT_FOUND"}
    # At the agency, without an address, the agency's is used
    payloads = [
        await mutate(
            api,
            SCHEDULE,
            guingamp,
            identifiant=candidat.identifiant,
            theme=f"Entretien {n}",
            startsAt=at(starts + timedelta(days=n)),
            durationMinutes=30,
            modality="AGENCE",
        )
        for n in (2, 1)
    ]
    later, sooner = (p["appointment"] for p in payloads)
    assert sooner["address"] == "Agence de Guingamp, 3 rue de la Madeleine 22200"

    # The agenda is in time order, paginated; the adviser sees the agency's; Brest nothing
    page = (await api(AGENDA, {"first": 1}, token=candidat.token))["viewer"]["agenda"]
    assert [e["node"]["id"] for e in page["edges"]] == [sooner["id"]]
    assert page["pageInfo"]["hasNextPage"] is True
    variables = {"first": 1, "after": page["pageInfo"]["endCursor"]}
    page = (await api(AGENDA, variables, token=candidat.token))["viewer"]["agenda"]
    assert [e["node"]["id"] for e in page["edges"]] == [later["id"]]
    agency = (await api(AGENDA, token=guingamp))["viewer"]["agenda"]["edges"]
    assert len(agency) == 2
    assert (await api(AGENDA, token=brest))["viewer"]["agenda"]["edges"] == []
    assert (await api(AGENDA, token=other.token))["viewer"]["agenda"]["edges"] == []
    assert (await api(NODE, {"id": sooner["id"]}, token=other.token))["node"] is None
    assert (await api(NODE, {"id": sooner["id"]}, token=brest))["node"] is None
    payload = await mutate(api, UPDATE, brest, id=sooner["id"], theme="Piraté")
    assert codes(payload) == {"id": "NOT_FOUND"}
    payload = await mutate(api, CONFIRM, other.token, id=sooner["id"])
    assert codes(payload) == {"id": "NOT_FOUND"}
    response = await http.get(sooner["icsUrl"], headers=api.headers(brest))
    assert response.status_code == 404

    # The candidat asks for another time, with a note
    payload = await mutate(
        api, RESCHEDULE, candidat.token, id=sooner["id"], note="Plutôt le matin."
    )
    assert payload["appointment"] == {
        "status": "RESCHEDULE_REQUESTED",
        "candidatNote": "Plutôt le matin.",
    }

    # The private feed: a secret URL with both appointments; a new one revokes the old
    first_url = (await api(FEED_CREATE, token=candidat.token))["calendarFeedCreate"]["url"]
    response = await http.get(first_url)
    assert response.status_code == 200
    summaries = sorted(
        str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")
    )
    assert summaries == [
        "Rendez-vous France Travail : Entretien 1",
        "Rendez-vous France Travail : Entretien 2",
    ]
    second_url = (await api(FEED_CREATE, token=candidat.token))["calendarFeedCreate"]["url"]
    assert (await http.get(first_url)).status_code == 404
    assert (await http.get(second_url)).status_code == 200
    revoked = (await api(FEED_REVOKE, token=candidat.token))["calendarFeedRevoke"]
    assert revoked == {"revoked": True, "userErrors": []}
    assert (await http.get(second_url)).status_code == 404
    refused = (await api(FEED_CREATE, token=brest))["calendarFeedCreate"]
    assert refused == {"url": None, "userErrors": [{"code": "WRONG_ACCOUNT_KIND"}]}
