"""The SQL statement budget of the full dashboard with « Mon dossier de demandeur d'emploi »
and « Mes actions » (issue 13): still the home lists and one statement for the whole tableau
de bord, however much the unemployment file holds (the token's session check served from the
cache, issue 12: tests/identity/test_session_cache.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.actualisation.support import at, paris
from tests.conftest import LiveServer
from tests.dashboard.file_support import ACTIONS_ALONE, SECTION, SECTION_ALONE, file_holder
from tests.dashboard.test_sql import (
    CACHED_CHECKS,
    FULL_DASHBOARD,
    INTERPRETED,
    counted,
    parts_alone,
    same_parts,
    seen,
)
from tests.journeys.unemployment_steps import NBSP
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL, MailCatcher

# The bench's home without the lists (bench.queries.VIEWER_DASHBOARD) and the section.
HOME_BOARD = """{ viewer { dashboard {
  newSinceLastVisit { dossiers account letters agenda indemnisation }
  actions { code message }
  events(first: 20) { edges { node { id kind } } }
  unemploymentFile { declarationState lastPaymentSentence unreadLetters }
} } }"""


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return CACHED_CHECKS


@pytest.mark.parametrize("settings_overrides", [INTERPRETED])
async def test_the_full_dashboard_with_the_file_takes_two_statements(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat whose file holds a declaration, a payment, a letter asking for
    # documents, a refused payslip and an appointment to confirm; and a newcomer
    holder = await file_holder(server, api, http, smtp, "budget.dossier@example.org")
    await at(server, paris(2026, 10, 2, 9, 0))
    newcomer = await sign_up_candidate(api)
    token = holder.candidate.token

    # When each asks for the full dashboard, section and actions included (tokens seen)
    await seen(api, newcomer.token, token)
    with counted(server) as few:
        small = (await api(FULL_DASHBOARD, token=newcomer.token))["viewer"]["dashboard"]
    with counted(server) as many:
        board = (await api(FULL_DASHBOARD, token=token))["viewer"]["dashboard"]
    with counted(server) as home:
        await api(HOME_BOARD, token=token)
    costs = {}
    for name, document in (("section", SECTION), ("actions", ACTIONS_ALONE)):
        with counted(server) as statements:
            await api(document, token=token)
        costs[name] = len(statements)

    # Then both cost the statements of issue 5's budget but the session's, now cached: the
    # home lists, and the one statement of the tableau de bord (file and actions in it)
    assert len(few) == 2, few
    assert len(many) == 2, many
    # And the home's board without the lists: that one statement (the actions' dossiers
    # used to cost a statement of their own)
    assert len(home) == 1, home
    # And the section with the actions, or the actions alone: one statement
    assert costs == {"section": 1, "actions": 1}
    # And what it read is the candidat's file, the same as each field alone
    file = board["unemploymentFile"]
    assert file["lastPaymentSentence"] == (
        f"Au 02/10/2026 mon dernier versement est de 733,50{NBSP}€ net"
    )
    assert file["unreadLetters"] == 1 and file["nextAppointment"]["id"] == holder.appointment_id
    assert [a["code"] for a in board["actions"]] == [
        "SEND_DOCUMENT",
        "SEND_DOCUMENT",
        "CONFIRM_APPOINTMENT",
    ]
    alone = (await api(SECTION_ALONE, token=token))["viewer"]["dashboard"]["unemploymentFile"]
    for name, value in file.items():
        if not isinstance(value, dict):  # the objects are asked with other fields
            assert alone[name] == value, name
    actions = (await api(ACTIONS_ALONE, token=token))["viewer"]["dashboard"]["actions"]
    assert actions == board["actions"]
    same_parts(board, await parts_alone(api, token))
    assert small["unemploymentFile"]["lastPayment"] is None
    assert [a["code"] for a in small["actions"]] == ["CREATE_DOSSIER"]
