"""« Mes droits » on both paths: ``viewer.indemnisation`` (its amounts, expected end and last
payment) answers alike for a candidat with payments, one with rights under examination and
none paid, one without rights, an adviser and no one; one candidat never sees another's;
and the compiled path answered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from resolvers.indemnisation.payrun import pay_due
from tests.compiled.support import Twins, reads_of, twin_server
from tests.compiled.test_differential import PAGES
from tests.conftest import LiveServer
from tests.support.agencies import adviser_at
from tests.support.client import GraphQL, MailCatcher
from tests.support.indemnisation import (
    RIGHTS_SET,
    candidat_at,
    drive_clock,
    mutate,
    paris,
    two_agencies,
)

COMPUTE = """
mutation ($input: IndemnisationPaymentComputeInput!) {
  indemnisationPaymentCompute(input: $input) { payment { id } userErrors { field code } }
}
"""
RIGHTS = """{ viewer { indemnisation { __typename state kind startDate daysGranted daysLeft
  daysDeferred expectedEnd dailyNetRate { cents formatted } referenceSalary { formatted cents }
} } }"""
LAST = """{ viewer { id indemnisation { lastPaymentSentence lastPayment { __typename id status
  source period paidOn amount { cents formatted } allocations { formatted } aides { cents }
  autres { formatted } bankAccount computation { dailyNetRate { formatted } monthDays
  deductedDays payableDays base { cents } hoursWorked grossPay { formatted }
  activityDeduction { formatted } cap { formatted } capped daysPaid daysDeferred } } } } }"""
ALIASED = """query { viewer { a: indemnisation { daysLeft rate: dailyNetRate { formatted }
  ... on Indemnisation { end: expectedEnd } }
  b: indemnisation { sentence: lastPaymentSentence last: lastPayment { amount { formatted } } } }
}"""
PAYMENTS = """
query ($first: Int, $after: String) { viewer { indemnisation {
  payments(first: $first, after: $after) {
  __typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { __typename id status source period paidOn amount { cents formatted }
    allocations { formatted } aides { formatted } autres { cents } bankAccount
    computation { dailyNetRate { cents formatted } monthDays deductedDays payableDays
      base { formatted } hoursWorked grossPay { formatted } activityDeduction { cents }
      cap { formatted } capped daysPaid daysDeferred } } } } } } }
"""
IDS = """query ($first: Int, $after: String) { viewer { indemnisation {
  payments(first: $first, after: $after) { edges { node { id paidOn } }
  pageInfo { hasNextPage endCursor } } } } }"""
DOCUMENTS = [RIGHTS, LAST, ALIASED, PAYMENTS]


async def file_of(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> dict[str, str | None]:
    """A candidat with two payments made and two scheduled, one with rights under
    examination (no start, no salary) and none paid, one without rights, another with one
    payment made the same day, an adviser."""
    clock = drive_clock(server, paris(2026, 3, 2))
    try:
        agencies = await two_agencies(server, api)
        adviser = await adviser_at(server, api, "GUI01")
        people = [await candidat_at(api, http, smtp, agencies["GUI01"]) for _ in "abcd"]
        paid, opened, bare, other = people
        for person, fields in (
            (
                paid,
                {
                    "state": "OUVERT",
                    "kind": "ARE",
                    "dailyNetRate": "38,45",
                    "startDate": "2025-12-01",
                    "daysGranted": 365,
                    "referenceSalary": "1 000",
                },
            ),
            (opened, {"state": "EXAMEN", "kind": "ASS", "dailyNetRate": "17,5", "daysGranted": 0}),
            (
                other,
                {
                    "state": "OUVERT",
                    "kind": "ARE",
                    "dailyNetRate": "20",
                    "daysGranted": 90,
                    "startDate": "2025-12-01",
                },
            ),
        ):
            done = await mutate(api, RIGHTS_SET, adviser, identifiant=person.identifiant, **fields)
            assert done["userErrors"] == [], done
        months = [
            {"period": "2026-02-01", "hoursWorked": 40, "grossPay": "900", "sickDays": 2},
            {"period": "2025-12-01"},  # the same payment day: the later id first
        ]
        for month in months:
            done = await mutate(api, COMPUTE, adviser, identifiant=paid.identifiant, **month)
            assert done["userErrors"] == [], done
        done = await mutate(
            api, COMPUTE, adviser, identifiant=other.identifiant, period="2025-12-01"
        )
        assert done["userErrors"] == [], done
        clock.set(paris(2026, 3, 5, 0, 30))
        assert await pay_due(server.runtime, clock.now()) == 3
        # March scheduled in April; then January, computed last (the highest id) with the
        # clock set back: the earliest payment day, so last in the list.
        for at, period in ((paris(2026, 4, 1), "2026-03-01"), (paris(2026, 2, 2), "2026-01-01")):
            clock.set(at)
            done = await mutate(api, COMPUTE, adviser, identifiant=paid.identifiant, period=period)
            assert done["userErrors"] == [], done
    finally:
        clock.set(None)
    return {
        "paid": paid.token,
        "opened": opened.token,
        "bare": bare.token,
        "other": other.token,
        "adviser": adviser,
        "nobody": None,
    }


@pytest.fixture
async def twins(
    server: LiveServer, http: httpx.AsyncClient, smtp: MailCatcher, reference_data: Any
) -> AsyncIterator[Twins]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            tokens = await file_of(server, GraphQL(http), http, smtp)
            yield Twins(compiled=http, interpreted=other, tokens=tokens)


def data_of(answer: Any) -> Any:
    return dict(dict(answer[1])["data"])


async def test_rights_answer_alike_on_the_compiled_path(server: LiveServer, twins: Twins) -> None:
    before = reads_of(server).counts["compiled"]
    asked = 0
    for shape, token in twins.tokens.items():
        for document in DOCUMENTS:
            interpreted, compiled = await twins.both(document, {}, token)
            assert compiled == interpreted, (shape, document)
            assert "errors" not in dict(compiled[1]), compiled
            asked += 1
    # Every one of them was answered by the compiled path.
    assert reads_of(server).counts["compiled"] - before == asked


async def test_payment_pages_and_cursors_answer_alike(server: LiveServer, twins: Twins) -> None:
    before = reads_of(server).counts["compiled"]
    for shape, token in twins.tokens.items():
        for variables in PAGES:
            interpreted, compiled = await twins.both(PAYMENTS, variables, token)
            assert compiled == interpreted, (shape, variables)
    # Page by page to the end, following endCursor: payment day first, then the id.
    seen, after, asked = [], None, 0
    for _ in range(6):
        variables = {"first": 1, "after": after}
        interpreted, compiled = await twins.both(IDS, variables, twins.tokens["paid"])
        assert compiled == interpreted, variables
        asked += 1
        payments = dict(dict(dict(data_of(compiled)["viewer"])["indemnisation"])["payments"])
        seen += [dict(dict(e)["node"])["paidOn"] for e in payments["edges"]]
        info = dict(payments["pageInfo"])
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert len(seen) == 4 and seen == sorted(seen, reverse=True), seen
    assert seen[1] == seen[2]  # December and February, paid the same day: the later id first
    # Another candidat's cursors start no page of theirs, on either path; their own first
    # page holds their one payment only.
    for token, cursor, count in (
        (twins.tokens["other"], after, 0),
        (twins.tokens["other"], None, 1),
    ):
        interpreted, compiled = await twins.both(IDS, {"after": cursor}, token)
        assert compiled == interpreted
        payments = dict(dict(dict(data_of(compiled)["viewer"])["indemnisation"])["payments"])
        assert len(payments["edges"]) == count
    # The pages were the compiled path's (bad arguments and the signed-out: the interpreter's).
    assert reads_of(server).counts["compiled"] - before > asked + len(twins.tokens) * 4


async def test_the_rights_are_the_candidats_own(twins: Twins) -> None:
    tokens = twins.tokens
    _, answer = await twins.both(LAST, {}, tokens["paid"])
    mine = dict(dict(data_of(answer)["viewer"])["indemnisation"])
    # The last payment made: the later of the two paid on Thursday 5 March (December, its
    # 30 days capped by the reference salary), not the one scheduled.
    assert (
        mine["lastPaymentSentence"]
        == "Au 05/03/2026 mon dernier versement est de 1\u202f000,00\u00a0€ net"
    )
    last = dict(mine["lastPayment"])
    assert (last["status"], last["period"]) == ("PAID", "2025-12-01")
    _, answer = await twins.both(RIGHTS, {}, tokens["paid"])
    rights = dict(dict(data_of(answer)["viewer"])["indemnisation"])
    assert dict(rights["dailyNetRate"])["formatted"] == "38,45\u00a0€"
    assert rights["expectedEnd"] is not None
    # Another candidat's rights and payments are never theirs to see.
    _, answer = await twins.both(LAST, {}, tokens["opened"])
    theirs = dict(dict(data_of(answer)["viewer"])["indemnisation"])
    assert theirs["lastPayment"] is None and theirs["lastPaymentSentence"] is None
    _, answer = await twins.both(RIGHTS, {}, tokens["opened"])
    theirs = dict(dict(data_of(answer)["viewer"])["indemnisation"])
    assert (theirs["state"], theirs["kind"], theirs["expectedEnd"]) == ("EXAMEN", "ASS", None)
    assert theirs["referenceSalary"] is None
    for shape in ("bare", "adviser"):
        _, answer = await twins.both(LAST, {}, tokens[shape])
        assert dict(data_of(answer)["viewer"])["indemnisation"] is None
    _, answer = await twins.both(LAST, {}, None)
    assert data_of(answer)["viewer"] is None
