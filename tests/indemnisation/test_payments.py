"""Rights opened by the agency, a month's payment computed, made on its day (live event and
mail), « Mes allocations » and the dashboard sentence; the clock is driven by the test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import httpx

from espace import scheduler
from resolvers.indemnisation.hooks import payment_on_declaration
from tests.conftest import LiveServer
from tests.support.accounts import account_row, write_session
from tests.support.agencies import adviser_at
from tests.support.applications import until_listening
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.indemnisation import (
    RIGHTS_SET,
    candidat_at,
    codes,
    drive_clock,
    mutate,
    paris,
    two_agencies,
)
from tests.support.ws import subscribed

COMPUTE = """
mutation ($input: IndemnisationPaymentComputeInput!) {
  indemnisationPaymentCompute(input: $input) {
    payment {
      id status paidOn period amount { cents formatted }
      computation {
        payableDays deductedDays base { formatted } grossPay { formatted }
        activityDeduction { formatted } cap { formatted } capped daysPaid daysDeferred
      }
    }
    userErrors { field code message }
  }
}
"""
MINE = """
query ($first: Int, $after: String) {
  viewer { indemnisation {
    state kind daysGranted daysLeft daysDeferred startDate expectedEnd
    dailyNetRate { formatted } referenceSalary { formatted }
    lastPaymentSentence lastPayment { amount { formatted } status }
    payments(first: $first, after: $after) {
      totalCount
      edges { node { id status paidOn amount { cents formatted } } }
      pageInfo { hasNextPage endCursor }
    }
  } }
}
"""
OF_CANDIDAT = """
query ($identifiant: String!) {
  candidatIndemnisation(identifiant: $identifiant) {
    daysLeft payments(first: 5) { edges { node { amount { formatted } } } }
  }
}
"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on Payment { amount { formatted } } } }"
LIVE = "subscription { dashboardEvents { kind message subjectId payload } }"


def rights(identifiant: str, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "identifiant": identifiant,
        "state": "OUVERT",
        "kind": "ARE",
        "dailyNetRate": "38,45",
        "startDate": "2026-01-05",
        "daysGranted": 365,
        "referenceSalary": "2 000",
    }
    form.update(changes)
    return form


async def test_a_month_is_paid_with_the_activity_deduction_and_shown_live(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given Monday 2 March 2026, a candidat of Guingamp, an adviser there and one in Brest
    clock = drive_clock(server, paris(2026, 3, 2))
    agencies = await two_agencies(server, api)
    guingamp = await adviser_at(server, api, "GUI01")
    brest = await adviser_at(server, api, "BRE01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    other = await candidat_at(api, http, smtp, agencies["GUI01"])
    assert (await api(MINE, token=candidat.token))["viewer"]["indemnisation"] is None

    # When Brest, or the candidat, try to open the rights: not found, forbidden
    refused = await mutate(api, RIGHTS_SET, brest, **rights(candidat.identifiant))
    assert codes(refused) == {"identifiant": "NOT_FOUND"} and refused["indemnisation"] is None
    refused = await mutate(api, RIGHTS_SET, candidat.token, **rights(candidat.identifiant))
    assert codes(refused) == {None: "FORBIDDEN"}
    # Every bad field at once
    bad = await mutate(
        api,
        RIGHTS_SET,
        guingamp,
        **rights(candidat.identifiant, dailyNetRate="abc", daysGranted=5000, startDate=None),
    )
    assert codes(bad) == {
        "dailyNetRate": "INVALID_FORMAT",
        "daysGranted": "OUT_OF_RANGE",
        "startDate": "REQUIRED",
    }
    # And Guingamp opens them: 38,45 € a day for 365 days from 5 January 2026
    opened = await mutate(api, RIGHTS_SET, guingamp, **rights(candidat.identifiant))
    assert opened["userErrors"] == []
    assert opened["indemnisation"] == {
        "state": "OUVERT",
        "kind": "ARE",
        "dailyNetRate": {"cents": 3845, "formatted": "38,45\u00a0€"},
        "daysLeft": 365,
        "expectedEnd": "2027-01-04",
    }

    async with subscribed(server, candidat.token, LIVE) as ws:
        await until_listening(ws)
        # When February is computed: 40 hours at 600 € gross
        month = {"identifiant": candidat.identifiant, "period": "2026-02-01"}
        computed = await mutate(api, COMPUTE, guingamp, **month, hoursWorked=40, grossPay="600")
        assert computed["userErrors"] == []
        payment = computed["payment"]
        # Then 30 × 38,45 − 70 % × 600 = 733,50 €, paid 3 working days later (Thursday 5)
        assert payment["amount"] == {"cents": 73350, "formatted": "733,50\u00a0€"}
        assert payment["status"] == "SCHEDULED" and payment["paidOn"] == "2026-03-05"
        assert payment["computation"] == {
            "payableDays": 30,
            "deductedDays": 0,
            "base": {"formatted": "1\u202f153,50\u00a0€"},
            "grossPay": {"formatted": "600,00\u00a0€"},
            "activityDeduction": {"formatted": "420,00\u00a0€"},
            "cap": {"formatted": "1\u202f400,00\u00a0€"},
            "capped": False,
            "daysPaid": 19,
            "daysDeferred": 11,
        }
        again = await mutate(api, COMPUTE, guingamp, **month)
        assert codes(again) == {"period": "DUPLICATE"}
        refused = await mutate(api, COMPUTE, brest, **month)
        assert codes(refused) == {"identifiant": "NOT_FOUND"}

        # And the 11 unpaid days push the end of rights back
        mine = (await api(MINE, token=candidat.token))["viewer"]["indemnisation"]
        assert (mine["daysLeft"], mine["daysDeferred"], mine["expectedEnd"]) == (
            346,
            11,
            "2027-01-15",
        )
        assert mine["lastPaymentSentence"] is None and mine["lastPayment"] is None

        # When the night of Wednesday 4 March passes: nothing is paid yet
        clock.set(paris(2026, 3, 4, 0, 30))
        await scheduler.tick(server.runtime)
        await ws.nothing_for(0.3)
        # When the night of Thursday 5 March comes, the payment is made
        clock.set(paris(2026, 3, 5, 0, 30))
        assert "indemnisation:pay" in await scheduler.tick(server.runtime)
        event = (await ws.next_data("1"))["dashboardEvents"]
    # Then it is pushed live, with a mail that details the computation
    assert event["kind"] == "PAYMENT_MADE" and event["subjectId"] == payment["id"]
    assert event["message"] == "Paiement de 733,50\u00a0€ effectué le 05/03/2026."
    [mail] = await smtp.wait_for(1, to=candidat.email)
    # (the header encoding may turn the no-break space into a space)
    subject = str(mail["Subject"]).replace("\u00a0", " ")
    assert subject == "Votre paiement de 733,50 € a été effectué"
    body = text_part(mail)
    assert "février 2026" in body and "70 % déduits (420,00\u00a0€)" in body
    assert "Jours décomptés de vos droits : 19" in body
    # And the dashboard sentence and « Mes allocations » show it
    mine = (await api(MINE, {"first": 1}, token=candidat.token))["viewer"]["indemnisation"]
    assert mine["lastPaymentSentence"] == (
        "Au 05/03/2026 mon dernier versement est de 733,50\u00a0€ net"
    )
    assert [e["node"]["status"] for e in mine["payments"]["edges"]] == ["PAID"]
    assert mine["payments"]["pageInfo"]["hasNextPage"] is False
    # And nobody else reads it
    assert (await api(NODE, {"id": payment["id"]}, token=candidat.token))["node"] == {
        "id": payment["id"],
        "amount": {"formatted": "733,50\u00a0€"},
    }
    for outsider in (other.token, brest):
        assert (await api(NODE, {"id": payment["id"]}, token=outsider))["node"] is None
    assert (await api(MINE, token=other.token))["viewer"]["indemnisation"] is None
    # But the advisers of the agency do, and only they
    variables = {"identifiant": candidat.identifiant}
    seen = (await api(OF_CANDIDAT, variables, token=guingamp))["candidatIndemnisation"]
    assert seen == {
        "daysLeft": 346,
        "payments": {"edges": [{"node": {"amount": {"formatted": "733,50\u00a0€"}}}]},
    }
    for outsider in (brest, other.token, candidat.token):
        assert (await api(OF_CANDIDAT, variables, token=outsider))["candidatIndemnisation"] is None


async def test_sick_days_cap_and_paging(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given rights at 60 € a day with a 1 500 € reference salary
    drive_clock(server, paris(2026, 6, 10))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    form = rights(candidat.identifiant, dailyNetRate="60", referenceSalary="1500")
    assert (await mutate(api, RIGHTS_SET, adviser, **form))["userErrors"] == []
    # When March has 5 sick days (1 500 €: under the cap), April 1 000 € gross, May nothing
    ident = candidat.identifiant
    march = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-03-01", sickDays=5)
    april = await mutate(
        api, COMPUTE, adviser, identifiant=ident, period="2026-04-15", grossPay="1000"
    )
    may = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-05-31")
    bad = await mutate(
        api,
        COMPUTE,
        adviser,
        identifiant=ident,
        period="2026-07-01",
        hoursWorked=500,
        grossPay="-3",
        sickDays=40,
    )
    # Then the sick days are not paid, the cap holds pay + allowance to 1 500 €
    assert march["payment"]["amount"]["cents"] == 25 * 6000
    assert march["payment"]["computation"]["deductedDays"] == 5
    assert april["payment"]["amount"]["cents"] == 50000
    assert april["payment"]["computation"]["capped"] is True
    # (a full month, 1 800 €, is above the reference salary alone: capped at 1 500 €)
    assert may["payment"]["amount"]["cents"] == 150000
    assert may["payment"]["computation"]["capped"] is True
    assert codes(bad) == {
        "hoursWorked": "OUT_OF_RANGE",
        "grossPay": "OUT_OF_RANGE",
        "sickDays": "OUT_OF_RANGE",
        "period": "OUT_OF_RANGE",
    }
    # And « Mes allocations » pages through them, latest first, without gap or repeat
    seen: list[int] = []
    after = None
    while True:
        page = (await api(MINE, {"first": 2, "after": after}, token=candidat.token))["viewer"]
        payments = page["indemnisation"]["payments"]
        seen += [e["node"]["amount"]["cents"] for e in payments["edges"]]
        assert payments["totalCount"] == 3  # the whole list, on every page
        if not payments["pageInfo"]["hasNextPage"]:
            break
        after = payments["pageInfo"]["endCursor"]
    assert sorted(seen) == [50000, 150000, 150000]


@dataclass(frozen=True)
class Facts:
    """What the monthly declaration hands over (its MonthFacts)."""

    account_id: int
    period: date
    hours_worked: int
    gross_pay_cents: int
    sick_days: int
    days_not_looking: int
    still_looking: bool


async def test_an_accepted_declaration_computes_the_payment(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat with open rights and one without
    drive_clock(server, paris(2026, 3, 2))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    other = await candidat_at(api, http, smtp, agencies["GUI01"])
    assert (await mutate(api, RIGHTS_SET, adviser, **rights(candidat.identifiant)))[
        "userErrors"
    ] == []
    ids = {}
    for who in (candidat, other):
        ids[who.identifiant] = (await account_row(server, identifiant=who.identifiant)).id
    # When their February declarations are accepted (in the declaration's transaction)
    now = server.runtime.clock.now()
    async with write_session(server) as session:
        made = await payment_on_declaration(
            session, Facts(ids[candidat.identifiant], date(2026, 2, 14), 40, 60000, 0, 0, True), now
        )
        none = await payment_on_declaration(
            session, Facts(ids[other.identifiant], date(2026, 2, 1), 0, 0, 0, 0, True), now
        )
    # Then the first is paid 733,50 € on 5 March; the other has nothing to pay
    assert made is not None and made.amount_cents == 73350 and none is None
    mine = (await api(MINE, token=candidat.token))["viewer"]["indemnisation"]
    assert [e["node"]["paidOn"] for e in mine["payments"]["edges"]] == ["2026-03-05"]
