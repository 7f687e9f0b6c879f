"""« Mon dossier de demandeur d'emploi » on the tableau de bord and what it adds to « Mes
actions »: an empty file, a typical one, and nobody else's data."""

from __future__ import annotations

import httpx

from tests.actualisation.support import RENEW, at, mutate, paris
from tests.actualisation.test_documents import upload
from tests.conftest import LiveServer
from tests.dashboard.file_support import (
    ACTIONS_ALONE,
    SECTION_ALONE,
    codes,
    file_holder,
    section,
)
from tests.journeys.unemployment_steps import CONFIRM, NBSP
from tests.support.accounts import sign_up_candidate
from tests.support.agencies import registered_candidate
from tests.support.client import GraphQL, MailCatcher
from tests.support.cvs import tiny_pdf
from tests.support.dossiers import sign_up_adviser


async def test_an_empty_file_and_accounts_without_one(server: LiveServer, api: GraphQL) -> None:
    # Given, on 10 November 2026, a candidat who just signed up (registered today)
    await at(server, paris(2026, 11, 10, 9, 0))
    newcomer = await sign_up_candidate(api)
    adviser = await sign_up_adviser(server, api)

    # Then the section has nothing yet: the next window is November's (from the 28th)
    board = await section(api, newcomer.token)
    file = board["unemploymentFile"]
    assert file["registrationState"] == "INSCRIT"
    assert file["declarationState"] == "NOT_OPEN"
    assert file["window"] == {
        "period": "2026-11-01",
        "isOpen": False,
        "declared": False,
        "sentence": "Je m'actualise du 28 novembre au 15 décembre",
    }
    assert file["windowSentence"] is None
    assert file["declarationSentence"] == (
        "Prochaine actualisation, pour novembre 2026 : du 28 novembre au 15 décembre."
    )
    for empty in ("lastActualisation", "lastPayment", "nextAppointment"):
        assert file[empty] is None and file[f"{empty}Sentence"] is None
    assert (file["unreadLetters"], file["unreadLettersSentence"]) == (0, "Aucun nouveau courrier")
    assert codes(board) == ["CREATE_DOSSIER"]
    # And once the window opens, the month is due
    await at(server, paris(2026, 11, 28, 8, 0))
    board = await section(api, newcomer.token)
    assert board["unemploymentFile"]["declarationState"] == "TO_DECLARE"
    assert board["unemploymentFile"]["windowSentence"] == (
        "Je m'actualise du 28 novembre au 15 décembre"
    )
    assert board["actions"][0] == {
        "code": "DECLARE",
        "message": "Actualisez-vous pour novembre 2026 : jusqu'au 15 décembre.",
        "dossierId": None,
        "subjectId": None,
    }
    # And an adviser has no file and no actions
    assert await section(api, adviser) == {"unemploymentFile": None, "actions": []}


async def test_a_typical_file_and_what_is_due(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Annaïg's file on 2 October 2026, and Bruno registered at the same agency
    holder = await file_holder(server, api, http, smtp, "annaig.tableau@example.org")
    bruno = await registered_candidate(
        api, http, smtp, holder.agency_id, "bruno.tableau@example.org"
    )
    annaig = holder.candidate

    # Then her section reads the seed's sentences with her dates and amounts
    board = await section(api, annaig.token)
    file = board["unemploymentFile"]
    assert file["registrationState"] == "INSCRIT"
    assert file["declarationState"] == "DECLARED"
    assert file["windowSentence"] == "Je m'actualise du 28 septembre au 15 octobre"
    assert file["declarationSentence"] == "Actualisation de septembre 2026 : enregistrée."
    assert file["lastActualisation"]["period"] == "2026-09-01"
    assert file["lastActualisationSentence"] == (
        "Ma dernière actualisation a été validée le 29/09/2026 "
        "(pour la période du 01/09/2026 au 30/09/2026)"
    )
    assert file["lastPayment"] == {
        "paidOn": "2026-10-02",
        "amount": {"formatted": f"733,50{NBSP}€"},
    }
    assert file["lastPaymentSentence"] == (
        f"Au 02/10/2026 mon dernier versement est de 733,50{NBSP}€ net"
    )
    assert (file["unreadLetters"], file["unreadLettersSentence"]) == (1, "1 courrier non lu")
    assert file["nextAppointment"]["id"] == holder.appointment_id
    assert file["nextAppointmentSentence"] == (
        "Mon prochain rendez-vous : le 8 octobre 2026 à 10 h 00 (heure de Paris), "
        "Point sur votre reprise d'activité"
    )
    # And « Mes actions » lists what is due first (she has declared: nothing to declare)
    assert codes(board) == ["SEND_DOCUMENT", "SEND_DOCUMENT", "CONFIRM_APPOINTMENT"]
    asked, refused, confirm = board["actions"]
    assert asked["message"] == (
        "Envoyez les pièces justificatives demandées par le courrier du 30/09/2026."
    )
    assert asked["subjectId"] == holder.letter_id
    assert (
        refused["message"]
        == "Renvoyez votre justificatif « Bulletin de salaire » : il a été refusé."
    )
    assert confirm["subjectId"] == holder.appointment_id
    assert confirm["message"].startswith("Confirmez votre rendez-vous le 8 octobre 2026 à 10 h 00")
    # And each field alone answers the same
    alone = (await api(SECTION_ALONE, token=annaig.token))["viewer"]["dashboard"]
    assert alone["unemploymentFile"] == file
    actions = (await api(ACTIONS_ALONE, token=annaig.token))["viewer"]["dashboard"]["actions"]
    assert actions == board["actions"]

    # And Bruno, registered today (so October is his first month), sees none of it
    other = await section(api, bruno.token)
    mine = other["unemploymentFile"]
    assert mine["declarationState"] == "NOT_OPEN"
    assert mine["lastActualisation"] is mine["lastPayment"] is mine["nextAppointment"] is None
    assert mine["unreadLetters"] == 0
    assert codes(other) == []

    # When she sends a document and confirms the appointment, those actions are done
    sent = await upload(http, annaig.token, tiny_pdf(), "a.pdf", code="BDS", period="2026-09-30")
    assert sent["userErrors"] == []
    confirmed = await mutate(api, CONFIRM, annaig.token, id=holder.appointment_id)
    assert confirmed["appointment"]["status"] == "CONFIRMED"
    board = await section(api, annaig.token)
    assert codes(board) == []
    assert board["unemploymentFile"]["nextAppointment"]["status"] == "CONFIRMED"
    # And less than 24 hours before, an unconfirmed appointment is no longer an action
    await at(server, paris(2026, 10, 16, 9, 0))
    board = await section(api, annaig.token)
    assert board["unemploymentFile"]["declarationState"] == "NOT_OPEN"
    assert board["unemploymentFile"]["nextAppointment"] is None


async def test_a_registration_that_ended_is_to_renew(server: LiveServer, api: GraphQL) -> None:
    # Given a candidat registered on 10 September 2026 who never declared September
    await at(server, paris(2026, 9, 10, 9, 0))
    candidate = await sign_up_candidate(api)

    # When the window closes, the registration ceases
    await at(server, paris(2026, 10, 16, 0, 1), True)

    # Then the section says so, and « Mes actions » asks to renew it, first
    board = await section(api, candidate.token)
    file = board["unemploymentFile"]
    assert file["registrationState"] == "CESSATION_INSCRIPTION"
    assert (file["declarationState"], file["window"]) == ("NOT_REGISTERED", None)
    assert codes(board) == ["RENEW_REGISTRATION", "CREATE_DOSSIER"]
    # And once renewed, nothing more to do about it
    renewed = await mutate(api, RENEW, candidate.token)
    assert renewed["registration"]["state"] == "INSCRIT"
    assert codes(await section(api, candidate.token)) == ["CREATE_DOSSIER"]
