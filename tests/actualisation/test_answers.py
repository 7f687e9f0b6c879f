"""The seven statements are checked field by field, every problem at once."""

from __future__ import annotations

from typing import Any

from tests.actualisation.support import SUBMIT, at, declaration, mutate, paris
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL


def errors(payload: dict[str, Any]) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in payload["userErrors"]}


async def test_every_inconsistency_is_reported_at_once(server: LiveServer, api: GraphQL) -> None:
    # Given a candidat registered in September, in the September window
    await at(server, paris(2026, 9, 20, 12, 0))
    candidate = await sign_up_candidate(api)
    await at(server, paris(2026, 10, 2, 12, 0))
    # When the declaration contradicts itself in many ways
    sent = await mutate(
        api,
        SUBMIT,
        candidate.token,
        **declaration(
            stillLooking=False,
            employers=[
                {"name": " ", "hours": 300, "grossPay": "12.345"},
                {"name": "Bis", "hours": 200, "grossPay": "-1"},
                {"name": "Ter", "grossPay": "10"},
            ],
            sick=True,
            sickStart="2026-09-20",
            sickEnd="2026-10-02",
            training=True,
            trainingStart="2026-09-12",
            trainingEnd="2026-09-10",
            maternityDate="2026-09-03",
            retirement=True,
        ),
    )
    # Then nothing is recorded, and each field says what is wrong
    assert sent["actualisation"] is None
    assert errors(sent) == {
        "stopDate": "REQUIRED",
        "stopReason": "REQUIRED",
        "employers.0.name": "REQUIRED",
        "employers.0.grossPay": "INVALID_FORMAT",
        "employers.1.grossPay": "OUT_OF_RANGE",
        "employers.2.hours": "REQUIRED",
        "employers": "OUT_OF_RANGE",
        "trainingEnd": "INVALID_DATE",
        "sickEnd": "OUT_OF_RANGE",
        "maternityDate": "INVALID",
        "retirementDate": "REQUIRED",
    }
    messages = {e["field"]: e["message"] for e in sent["userErrors"]}
    assert messages["sickEnd"] == "La date doit être en septembre 2026."
    assert messages["employers"] == ("Le total des heures (500) dépasse 450 heures dans le mois.")


async def test_worked_without_employers_and_employers_without_work(
    server: LiveServer, api: GraphQL
) -> None:
    await at(server, paris(2026, 9, 20, 12, 0))
    candidate = await sign_up_candidate(api)
    await at(server, paris(2026, 10, 2, 12, 0))
    none = await mutate(api, SUBMIT, candidate.token, **declaration(employers=[]))
    assert errors(none) == {"employers": "REQUIRED"}
    extra = await mutate(api, SUBMIT, candidate.token, **declaration(worked=False))
    assert errors(extra) == {"employers": "INVALID"}
    # A declaration with a stop of the search and sick leave within the month is recorded
    ok = await mutate(
        api,
        SUBMIT,
        candidate.token,
        **declaration(
            stillLooking=False,
            stopDate="2026-09-21",
            stopReason="EMPLOI",
            sick=True,
            sickStart="2026-09-01",
            sickEnd="2026-09-05",
        ),
    )
    assert ok["userErrors"] == []
    assert ok["actualisation"]["answers"]["sickStart"] == "2026-09-01"


async def test_subscribers_get_the_facts_of_the_month(server: LiveServer, api: GraphQL) -> None:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

    from resolvers.actualisation.facts import MonthFacts, on_declaration_accepted

    seen: list[MonthFacts] = []

    async def hook(session: AsyncSession, facts: MonthFacts, now: datetime) -> None:
        seen.append(facts)

    await at(server, paris(2026, 9, 20, 12, 0))
    candidate = await sign_up_candidate(api)
    await at(server, paris(2026, 10, 2, 12, 0))
    on_declaration_accepted.append(hook)
    try:
        sent = await mutate(
            api,
            SUBMIT,
            candidate.token,
            **declaration(
                stillLooking=False,
                stopDate="2026-09-21",
                stopReason="AUTRE",
                sick=True,
                sickStart="2026-09-01",
                sickEnd="2026-09-05",
                employers=[
                    {"name": "A", "hours": 40, "grossPay": "600.00"},
                    {"name": "B", "hours": 10, "grossPay": "150.25", "contractEnded": True},
                ],
            ),
        )
    finally:
        on_declaration_accepted.remove(hook)
    assert sent["userErrors"] == []
    [facts] = seen
    assert (facts.period.isoformat(), facts.hours_worked, facts.gross_pay_cents) == (
        "2026-09-01",
        50,
        75025,
    )
    assert (facts.sick_days, facts.days_not_looking, facts.still_looking) == (5, 10, False)


async def test_the_same_month_sent_twice_at_once_is_recorded_once(
    server: LiveServer, api: GraphQL
) -> None:
    import asyncio

    await at(server, paris(2026, 9, 20, 12, 0))
    candidate = await sign_up_candidate(api)
    await at(server, paris(2026, 10, 2, 12, 0))
    results = await asyncio.gather(
        *(mutate(api, SUBMIT, candidate.token, **declaration()) for _ in range(4))
    )
    recorded = [r for r in results if r["userErrors"] == []]
    refused = [r for r in results if r["userErrors"]]
    assert len(recorded) == 1 and recorded[0]["actualisation"]["version"] == 1
    assert {e["code"] for r in refused for e in r["userErrors"]} == {"ALREADY_DECLARED"}
