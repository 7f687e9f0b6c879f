"""Declaring changes of situation over HTTP: the confirmation (reference, « enregistré le …
à … »), the live SITUATION_CHANGED event, the mail, the document request, and what each
kind does to the registration and the contact details."""

from __future__ import annotations

import httpx

from tests.actualisation.support import at, paris
from tests.conftest import LiveServer
from tests.journeys.unemployment_steps import mail_about, next_event
from tests.situation.support import (
    DOSSIERS,
    LETTERS,
    LIVE,
    REGISTRATION,
    changes,
    codes,
    declare,
)
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.ws import subscribed


async def test_a_sick_leave_is_confirmed_live_by_mail_and_asks_for_the_notice(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given, on 20 November 2026 at 10:15, Annaïg registered at Guingamp
    await at(server, paris(2026, 11, 20, 10, 15))
    agencies = await two_agencies(server, api)
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    async with subscribed(server, annaig.token, LIVE) as ws:
        await until_listening(ws)
        # When she declares a sick leave from 3 to 12 November
        payload = await declare(
            api, annaig.token, kind="SICK_LEAVE", startDate="2026-11-03", endDate="2026-11-12"
        )
        # Then it is recorded, with its reference and when
        assert payload["userErrors"] == []
        change = payload["situationChange"]
        assert change["kind"] == "SICK_LEAVE" and change["label"] == "Arrêt maladie"
        assert change["reference"].startswith("S20261120-")
        assert change["registeredSentence"] == "Changement enregistré le 20/11/2026 à 10:15"
        assert change["summary"] == (
            "Arrêt maladie du 03/11/2026 au 12/11/2026. Les jours d'arrêt maladie ne sont pas "
            "indemnisés par l'allocation chômage."
        )
        assert change["requestedDocument"] == "AAT"
        assert change["requestedDocumentLabel"] == "Avis d'arrêt de travail"
        assert change["available"] is True and change["categoryAfter"] == 1
        assert change["candidatIdentifiant"] == annaig.identifiant
        # And her dashboard hears it live
        event = await next_event(ws, "SITUATION_CHANGED")
    assert event["message"] == (
        f"Changement de situation enregistré : Arrêt maladie ({change['reference']})."
    )
    assert event["subjectId"] == change["id"]

    # And a mail confirms it, asking for the notice
    mail = await mail_about(smtp, "annaig@example.org", "changement de situation")
    text = text_part(mail)
    assert change["reference"] in text
    assert "Changement enregistré le 20/11/2026 à 10:15" in text
    assert "Avis d'arrêt de travail (code AAT)" in text
    # And the request is a letter in « Mes courriers », announced by its own mail
    await mail_about(smtp, "annaig@example.org", "nouveau courrier")
    letters = (await api(LETTERS, token=annaig.token))["viewer"]["letters"]["edges"]
    assert [e["node"]["kind"] for e in letters] == ["DEMANDE_PIECES"]
    # And « viewer.situationChanges » lists it
    listed = await changes(api, annaig.token)
    assert listed["totalCount"] == 1
    assert [e["node"]["reference"] for e in listed["edges"]] == [change["reference"]]


async def test_work_resumed_moves_the_category_or_ends_the_registration(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Bruno, registered at Guingamp in category 1
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    bruno = await registered_candidate(api, http, smtp, agencies["GUI01"], "bruno@example.org")
    job = {"kind": "WORK_RESUMED", "employer": "Conserverie du Goëlo"}

    # When he takes a 10-hour-a-week CDD: he stays immediately available (category 1)
    short = await declare(
        api,
        bruno.token,
        **job,
        startDate="2026-11-23",
        endDate="2026-12-31",
        contractType="CDD",
        weeklyHours=10,
    )
    assert short["userErrors"] == []
    assert short["situationChange"]["categoryAfter"] == 1
    assert short["situationChange"]["requestedDocument"] == "AEMP"
    # When he takes a 24-hour-a-week part-time CDI: category 5, employed and looking
    part = await declare(
        api, bruno.token, **job, startDate="2026-11-30", contractType="CDI", weeklyHours=24
    )
    assert part["userErrors"] == []
    change = part["situationChange"]
    assert (change["categoryBefore"], change["categoryAfter"]) == (1, 5)
    assert change["summary"].endswith(
        "Votre inscription passe en catégorie 5 : Pourvu d'un emploi, à la recherche d'un "
        "autre emploi."
    )
    registration = (await api(REGISTRATION, token=bruno.token))["viewer"]["registration"]
    assert (registration["state"], registration["category"]) == ("INSCRIT", 5)

    # When he takes a full-time CDI: the registration ceases from its first day
    full = await declare(
        api, bruno.token, **job, startDate="2026-12-07", contractType="CDI", weeklyHours=35
    )
    assert full["userErrors"] == []
    change = full["situationChange"]
    assert change["registrationState"] == "CESSATION_INSCRIPTION"
    assert change["available"] is False
    registration = (await api(REGISTRATION, token=bruno.token))["viewer"]["registration"]
    assert registration["state"] == "CESSATION_INSCRIPTION"
    assert registration["history"][0] == {
        "state": "CESSATION_INSCRIPTION",
        "effectiveOn": "2026-12-07",
        "reason": "REPRISE_EMPLOI",
    }
    # And, no longer registered, he has nothing more to declare
    late = await declare(
        api, bruno.token, kind="ABSENCE", startDate="2026-12-20", endDate="2026-12-24"
    )
    assert codes(late) == {None: "NOT_REGISTERED"}
    assert (await changes(api, bruno.token))["totalCount"] == 3


async def test_a_move_changes_the_contact_details_and_the_agency(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Annaïg registered at Guingamp, an adviser at Guingamp and one at Brest
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    guingamp = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01", name="Yann Kerjean")
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    # When she declares her move to Brest
    payload = await declare(
        api,
        annaig.token,
        kind="MOVE",
        startDate="2026-12-01",
        adresse="8 rue de Siam",
        complementAdresse1="Appartement 12",
        postalCode="29200",
    )
    # Then her address and her agency change, with no document asked for
    assert payload["userErrors"] == []
    change = payload["situationChange"]
    assert change["address"] == "8 rue de Siam, Appartement 12, 29200 Brest"
    assert change["agencyChanged"] is True and change["requestedDocument"] is None
    assert change["summary"].endswith("votre agence est désormais Agence de Brest.")
    [dossier] = (await api(DOSSIERS, token=annaig.token))["viewer"]["dossiers"]["edges"]
    assert dossier["node"] == {
        "adresse": "8 rue de Siam",
        "postalCode": "29200",
        "communeName": "Brest",
    }
    registration = (await api(REGISTRATION, token=annaig.token))["viewer"]["registration"]
    assert registration["agency"]["code"] == "BRE01"
    assert registration["adviserName"] == "Yann Kerjean"
    # And the mail confirms it
    mail = await mail_about(smtp, "annaig@example.org", "changement de situation")
    assert "votre agence est désormais Agence de Brest" in text_part(mail)
    # And the change is now read by Brest's advisers, no longer by Guingamp's
    seen = await changes(api, brest)
    assert [e["node"]["candidatIdentifiant"] for e in seen["edges"]] == [annaig.identifiant]
    assert (await changes(api, guingamp))["edges"] == []


async def test_a_training_moves_to_category_4_until_it_ends(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Annaïg registered at Guingamp in category 1
    await at(server, paris(2026, 11, 20, 9, 0))
    agencies = await two_agencies(server, api)
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    # When she declares a training from 23 November to 4 December
    payload = await declare(
        api,
        annaig.token,
        kind="TRAINING",
        startDate="2026-11-23",
        endDate="2026-12-04",
        organisme="AFPA de Saint-Brieuc",
    )
    assert payload["userErrors"] == []
    assert payload["situationChange"]["organisme"] == "AFPA de Saint-Brieuc"
    # Then she is in category 4 while it lasts, even on its last day
    registration = (await api(REGISTRATION, token=annaig.token))["viewer"]["registration"]
    assert registration["category"] == 4
    await at(server, paris(2026, 12, 4, 0, 5), run_jobs=True)
    registration = (await api(REGISTRATION, token=annaig.token))["viewer"]["registration"]
    assert registration["category"] == 4
    # And the day after, the scheduler gives her category back
    assert "situation:trainings" in await at(server, paris(2026, 12, 5, 0, 5), run_jobs=True)
    registration = (await api(REGISTRATION, token=annaig.token))["viewer"]["registration"]
    assert registration["category"] == 1
