"""« Mon dossier de demandeur d'emploi » and « Mes actions » on both paths: the dashboard's
file parts answer alike, through the month (window open, declared or not, a payment, letters,
an appointment to confirm, a registration that ended), for candidats of several shapes and
for accounts without a file; the compiled path answered them, and nobody sees another's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from bench.queries import _FILE_PARTS
from tests.actualisation.support import at, paris
from tests.compiled.support import Twins, reads_of, twin_server
from tests.conftest import LiveServer
from tests.dashboard.file_support import ACTIONS_ALONE, SECTION, SECTION_ALONE, file_holder
from tests.dashboard.test_sql import CACHED_CHECKS, counted
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.agencies import registered_candidate
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_dossier

FILE_PARTS = f"{{ viewer {{ dashboard {{ {_FILE_PARTS} }} }} }}"  # FULL_DASHBOARD's
EVERY_FIELD = """
fragment F on DashboardUnemploymentFile {
  __typename registrationState declarationState
  window { __typename period periodLabel opensAt closesAt opensOn closesOn isOpen sentence
    declared }
  lastActualisation { __typename id period periodLabel number version firstSubmittedAt
    submittedAt registeredSentence
    answers { stillLooking stopDate stopReason worked employers { name hours grossPay }
      sickStart sickEnd } }
  lastPayment { __typename id status source period paidOn amount { cents formatted }
    allocations { formatted } aides { cents } bankAccount
    computation { dailyNetRate { formatted } monthDays payableDays cap { formatted } capped } }
  unreadLetters unreadLettersSentence
  nextAppointment { __typename id theme startsAt endsAt durationMinutes modality address link
    adviserName comment status candidatNote cursor }
}
query { viewer { dashboard { __typename f: unemploymentFile { ...F } g: unemploymentFile {
  declarationSentence }
  ... on Dashboard { a: actions { __typename code subjectId } b: actions { message } } } } }
"""
COMPILED = [FILE_PARTS, SECTION, SECTION_ALONE, ACTIONS_ALONE, EVERY_FIELD]
# A resolver under the file (it reads the clock and settings through ``info``): interpreted.
INTERPRETED = "{ viewer { dashboard { unemploymentFile { nextAppointment { canAnswer } } } } }"
WITH_LISTS = f"""{{ viewer {{ id identifiant dossiers(first: 5) {{ edges {{ node {{ id name }} }} }}
  applications(first: 10) {{ edges {{ node {{ id status }} }} }}
  dashboard {{ {_FILE_PARTS} }} }} }}"""


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return CACHED_CHECKS  # the session check cached: one statement is the read itself


@pytest.fixture
async def pair(
    server: LiveServer, http: httpx.AsyncClient, reference_data: Any
) -> AsyncIterator[tuple[Twins, LiveServer]]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            yield Twins(compiled=http, interpreted=other), twin


async def both_at(
    server: LiveServer, twin: LiveServer, when: datetime, run_jobs: bool = False
) -> None:
    """Both servers' clocks on the same instant (the scheduler's jobs run once)."""
    await at(server, when, run_jobs)
    twin.runtime.clock.set(when)


async def answer_alike(server: LiveServer, twins: Twins, tokens: dict[str, str | None]) -> None:
    before = reads_of(server).counts["compiled"]
    for shape, token in tokens.items():
        for document in COMPILED:
            interpreted, compiled = await twins.both(document, {}, token)
            assert interpreted[0] == 200 and "errors" not in dict(interpreted[1]), interpreted
            assert compiled == interpreted, (shape, document)
    # Every one of them was answered by the compiled path,
    assert reads_of(server).counts["compiled"] - before == len(COMPILED) * len(tokens)
    # and one with a resolver under the file by the interpreter, alike.
    for shape, token in tokens.items():
        interpreted, compiled = await twins.both(INTERPRETED, {}, token)
        assert compiled == interpreted, shape
    assert reads_of(server).counts["compiled"] - before == len(COMPILED) * len(tokens)


def board(answers: tuple[Any, Any]) -> dict[str, Any]:
    """The compiled dashboard of ``Twins.both``'s answers, as plain dicts."""
    return plain(answers[1][1])["data"]["viewer"]["dashboard"]  # type: ignore[no-any-return]


def plain(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        return {k: plain(v) for k, v in value} if value else value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


async def test_the_file_and_actions_answer_alike_through_the_month(
    server: LiveServer,
    pair: tuple[Twins, LiveServer],
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
) -> None:
    twins, twin = pair
    # Given, on 2 October 2026, Annaïg's file (declared September, paid, a letter asking for
    # documents, a refused payslip, an appointment to confirm) and Bruno registered today,
    holder = await file_holder(server, api, http, smtp, "annaig.compile@example.org")
    twin.runtime.clock.set(server.runtime.clock.now())
    bruno = await registered_candidate(
        api, http, smtp, holder.agency_id, "bruno.compile@example.org"
    )
    # a newcomer with a dossier lacking e-mail and phone and one with an unconfirmed e-mail,
    newcomer = await sign_up_candidate(api)
    await create_dossier(api, newcomer.token, name="DRE1", phoneMobile=None, email=None)
    await create_dossier(api, newcomer.token, name="DRE2", email="nouveau.dre2@example.org")
    # an employer, an adviser and nobody signed in.
    tokens: dict[str, str | None] = {
        "annaig": holder.candidate.token,
        "bruno": bruno.token,
        "newcomer": newcomer.token,
        "employer": (await sign_up_employer(api)).token,
        "adviser": holder.adviser,
        "anonymous": None,
    }
    twin.runtime.clock.set(server.runtime.clock.now())
    await answer_alike(server, twins, tokens)
    mine = board(await twins.both(SECTION, {}, holder.candidate.token))
    assert mine["unemploymentFile"]["declarationState"] == "DECLARED"
    assert mine["unemploymentFile"]["unreadLetters"] == 1
    assert [a["code"] for a in mine["actions"]] == [
        "SEND_DOCUMENT",
        "SEND_DOCUMENT",
        "CONFIRM_APPOINTMENT",
    ]
    # Nobody sees another's file: Bruno's has none of Annaïg's letters, payment, appointment.
    his = board(await twins.both(SECTION, {}, bruno.token))["unemploymentFile"]
    assert his["lastPayment"] is his["nextAppointment"] is his["lastActualisation"] is None
    assert his["unreadLetters"] == 0
    theirs = board(await twins.both(ACTIONS_ALONE, {}, newcomer.token))["actions"]
    assert [a["code"] for a in theirs] == ["ADD_EMAIL", "ADD_PHONE", "CONFIRM_EMAIL"]
    # One statement for the file, the actions and the home lists beside them.
    for document in (FILE_PARTS, WITH_LISTS):
        with counted(server) as statements:
            interpreted, compiled = await twins.both(document, {}, holder.candidate.token)
        assert compiled == interpreted
        assert len(statements) == 1, statements

    # On the day of the appointment (no longer to confirm), then in October's open window
    # (nobody has declared it), then once the registrations of those who did not have ceased.
    for when, jobs in (
        (paris(2026, 10, 8, 9, 0), False),
        (paris(2026, 10, 28, 8, 0), False),
        (paris(2026, 11, 16, 0, 1), True),
    ):
        await both_at(server, twin, when, jobs)
        await answer_alike(server, twins, tokens)
    ended = board(await twins.both(SECTION, {}, newcomer.token))
    assert ended["unemploymentFile"]["declarationState"] == "NOT_REGISTERED"
    assert ended["actions"][0]["code"] == "RENEW_REGISTRATION"
