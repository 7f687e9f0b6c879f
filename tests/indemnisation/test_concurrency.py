"""Two computations of one month at once: one payment, one DUPLICATE, never a 500."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from models.indemnisation import Rights
from tests.conftest import LiveServer
from tests.support.agencies import adviser_at
from tests.support.client import GraphQL, MailCatcher
from tests.support.indemnisation import (
    RIGHTS_SET,
    candidat_at,
    codes,
    drive_clock,
    mutate,
    paris,
    two_agencies,
)

COMPUTE = """
mutation ($input: IndemnisationPaymentComputeInput!) {
  indemnisationPaymentCompute(input: $input) {
    payment { id } userErrors { field code }
  }
}
"""
DAYS = "{ viewer { indemnisation { daysLeft payments(first: 5) { edges { node { id } } } } } }"


async def test_a_month_computed_twice_at_once_is_paid_once(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    drive_clock(server, paris(2026, 3, 2))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    opened = await mutate(
        api,
        RIGHTS_SET,
        adviser,
        identifiant=candidat.identifiant,
        state="OUVERT",
        dailyNetRate="40",
        startDate="2026-01-01",
        daysGranted=365,
    )
    assert opened["userErrors"] == []
    month = {"identifiant": candidat.identifiant, "period": "2026-02-01"}
    results = await asyncio.gather(*(mutate(api, COMPUTE, adviser, **month) for _ in range(4)))
    done = [r for r in results if r["payment"] is not None]
    refused = [codes(r) for r in results if r["payment"] is None]
    assert len(done) == 1 and refused == [{"period": "DUPLICATE"}] * 3
    mine = (await api(DAYS, token=candidat.token))["viewer"]["indemnisation"]
    assert mine["daysLeft"] == 335 and len(mine["payments"]["edges"]) == 1


async def test_rights_opened_twice_at_once_make_one_row(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    form = {
        "identifiant": candidat.identifiant,
        "state": "OUVERT",
        "dailyNetRate": "40",
        "startDate": "2026-01-01",
    }
    results = await asyncio.gather(
        *(mutate(api, RIGHTS_SET, adviser, **form, daysGranted=100 + n) for n in range(12))
    )
    assert all(r["userErrors"] == [] for r in results)
    async with server.runtime.sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(Rights))
    assert count == 1
