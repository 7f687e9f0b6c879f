"""Shared by the tests of « Mon dossier de demandeur d'emploi » on the dashboard: the section's
query and a candidat whose unemployment file holds a bit of everything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.actualisation.support import SUBMIT, at, declaration, mutate, paris
from tests.actualisation.test_documents import DECIDE, upload
from tests.conftest import LiveServer
from tests.journeys.unemployment_steps import LETTER_ISSUE, RIGHTS_SET, SCHEDULE
from tests.support.accounts import Candidate
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher
from tests.support.cvs import tiny_pdf

SECTION_FIELDS = """
  registrationState declarationState windowSentence declarationSentence
  window { period isOpen declared sentence }
  lastActualisation { period number } lastActualisationSentence
  lastPayment { paidOn amount { formatted } } lastPaymentSentence
  unreadLetters unreadLettersSentence
  nextAppointment { id theme status } nextAppointmentSentence
"""
SECTION = f"""
{{ viewer {{ dashboard {{
  unemploymentFile {{ {SECTION_FIELDS} }}
  actions {{ code message dossierId subjectId }}
}} }} }}
"""
SECTION_ALONE = f"{{ viewer {{ dashboard {{ unemploymentFile {{ {SECTION_FIELDS} }} }} }} }}"
ACTIONS_ALONE = "{ viewer { dashboard { actions { code message dossierId subjectId } } } }"


async def section(api: GraphQL, token: str) -> dict[str, Any]:
    board: dict[str, Any] = (await api(SECTION, token=token))["viewer"]["dashboard"]
    return board


def codes(board: dict[str, Any]) -> list[str]:
    return [a["code"] for a in board["actions"]]


@dataclass
class FileHolder:
    candidate: Candidate
    adviser: str
    agency_id: str
    letter_id: str
    appointment_id: str


async def file_holder(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, email: str
) -> FileHolder:
    """On 29 September 2026 (the window open since the 28th): a candidat registered at
    Guingamp on 10 September with rights open, who declared September, got a letter asking for
    documents (unread), sent a payslip that was refused, and has an appointment on 8 October
    to confirm; the clock is left on 2 October after the nightly payment run."""
    await at(server, paris(2026, 9, 10, 9, 0))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01", name="Maëlle Le Bihan")
    who = await registered_candidate(api, http, smtp, agencies["GUI01"], email)
    rights = {
        "identifiant": who.identifiant,
        "state": "OUVERT",
        "kind": "ARE",
        "dailyNetRate": "38,45",
        "startDate": "2026-09-01",
        "daysGranted": 365,
        "referenceSalary": "2 000",
    }
    assert (await mutate(api, RIGHTS_SET, adviser, **rights))["userErrors"] == []
    await at(server, paris(2026, 9, 29, 10, 15))
    assert (await mutate(api, SUBMIT, who.token, **declaration()))["userErrors"] == []
    sent = await upload(http, who.token, tiny_pdf(), "b.pdf", code="BDS", period="2026-09-30")
    refused = await mutate(
        api, DECIDE, adviser, id=sent["document"]["id"], status="REFUSED", reason="Illisible."
    )
    assert refused["userErrors"] == []
    await at(server, paris(2026, 9, 30, 9, 0))
    letter = await mutate(
        api,
        LETTER_ISSUE,
        adviser,
        identifiant=who.identifiant,
        kind="DEMANDE_PIECES",
        body="Merci de nous envoyer votre attestation employeur.",
    )
    assert letter["userErrors"] == []
    scheduled = await mutate(
        api,
        SCHEDULE,
        adviser,
        identifiant=who.identifiant,
        theme="Point sur votre reprise d'activité",
        startsAt=paris(2026, 10, 8, 10, 0).isoformat(),
        durationMinutes=30,
        modality="TELEPHONE",
    )
    assert scheduled["userErrors"] == []
    assert "indemnisation:pay" in await at(server, paris(2026, 10, 2, 0, 30), True)
    return FileHolder(
        who,
        adviser,
        agencies["GUI01"],
        letter["letter"]["id"],
        scheduled["appointment"]["id"],
    )
