"""The changes of situation in the month's payment: sick days and absence days past the
year's 35 are deducted when the declaration computes the payment, each day once."""

from __future__ import annotations

import httpx

from tests.actualisation.support import CORRECT, SUBMIT, at, declaration, mutate, paris
from tests.conftest import LiveServer
from tests.journeys.unemployment_steps import NBSP, RIGHTS_SET
from tests.situation.support import declare
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.client import GraphQL, MailCatcher

PAYMENT = """
{ viewer { indemnisation { payments(first: 1) { edges { node {
  period amount { formatted } computation { deductedDays payableDays daysDeferred }
} } } } } }
"""


async def payment(api: GraphQL, token: str) -> dict[str, object]:
    data = await api(PAYMENT, token=token)
    [edge] = data["viewer"]["indemnisation"]["payments"]["edges"]
    node: dict[str, object] = edge["node"]
    return node


async def test_sick_days_and_absences_past_35_days_are_not_paid(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given, on 10 September 2026, Annaïg registered at Guingamp with rights open at
    # 38,45 € a day
    await at(server, paris(2026, 9, 10, 9, 0))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "annaig@example.org")
    rights = await mutate(
        api,
        RIGHTS_SET,
        adviser,
        identifiant=annaig.identifiant,
        state="OUVERT",
        kind="ARE",
        dailyNetRate="38,45",
        startDate="2026-09-01",
        daysGranted=365,
        referenceSalary="2 000",
    )
    assert rights["userErrors"] == []
    # And 35 days of absence already declared this year (5 January to 8 February)
    winter = await declare(
        api, annaig.token, kind="ABSENCE", startDate="2026-01-05", endDate="2026-02-08"
    )
    assert winter["situationChange"]["absenceDaysInYear"] == 35
    assert winter["situationChange"]["available"] is True

    # When she declares a sick leave (14 to 18 September) and 5 more days of absence
    sick = await declare(
        api, annaig.token, kind="SICK_LEAVE", startDate="2026-09-14", endDate="2026-09-18"
    )
    assert sick["userErrors"] == []
    away = await declare(
        api, annaig.token, kind="ABSENCE", startDate="2026-09-21", endDate="2026-09-25"
    )
    # Then past 35 days she is no longer counted as available
    change = away["situationChange"]
    assert (change["absenceDaysInYear"], change["available"]) == (40, False)
    assert (
        "Au-delà de 35 jours, vous n'êtes plus considéré(e) comme disponible" in (change["summary"])
    )

    # When she declares September (nothing else to declare)
    await at(server, paris(2026, 9, 29, 10, 15))
    quiet = declaration(worked=False, employers=[])
    assert (await mutate(api, SUBMIT, annaig.token, **quiet))["userErrors"] == []
    # Then the payment leaves out the 5 sick days and the 5 days past 35: 20 × 38,45 €
    paid = await payment(api, annaig.token)
    assert paid["computation"] == {"deductedDays": 10, "payableDays": 20, "daysDeferred": 10}
    assert paid["amount"] == {"formatted": f"769,00{NBSP}€"}

    # When she corrects it to declare 3 of the sick days in the declaration too
    sick_too = declaration(
        worked=False, employers=[], sick=True, sickStart="2026-09-14", sickEnd="2026-09-16"
    )
    assert (await mutate(api, CORRECT, annaig.token, **sick_too))["userErrors"] == []
    # Then each day is deducted once
    paid = await payment(api, annaig.token)
    assert paid["computation"] == {"deductedDays": 10, "payableDays": 20, "daysDeferred": 10}

    # When, the month declared, she declares two more sick days in it
    late = await declare(
        api, annaig.token, kind="SICK_LEAVE", startDate="2026-09-28", endDate="2026-09-29"
    )
    assert late["userErrors"] == []
    # Then the payment not yet made is computed again: 18 × 38,45 €
    paid = await payment(api, annaig.token)
    assert paid["computation"] == {"deductedDays": 12, "payableDays": 18, "daysDeferred": 12}
    assert paid["amount"] == {"formatted": f"692,10{NBSP}€"}
