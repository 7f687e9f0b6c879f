"""Rights over time: suspended rights pay nothing, used days stay used when the adviser
changes the rights, and the last days exhaust them."""

from __future__ import annotations

import httpx

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
    payment { amount { cents } computation { daysPaid } } userErrors { field code message }
  }
}
"""
MINE = "{ viewer { indemnisation { state daysGranted daysLeft expectedEnd } } }"


async def test_rights_over_time(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given rights of 40 days at 40 € from 1 January 2026
    drive_clock(server, paris(2026, 4, 10))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    ident = candidat.identifiant
    form = {
        "identifiant": ident,
        "state": "OUVERT",
        "dailyNetRate": "40,00",
        "startDate": "2026-01-01",
        "daysGranted": 40,
    }
    assert (await mutate(api, RIGHTS_SET, adviser, **form))["userErrors"] == []
    # When January is paid (30 days), then the adviser extends the rights to 50 days
    january = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-01-01")
    assert january["payment"] == {"amount": {"cents": 120000}, "computation": {"daysPaid": 30}}
    changed = await mutate(api, RIGHTS_SET, adviser, **{**form, "daysGranted": 50})
    # Then the days already paid stay paid
    assert changed["indemnisation"]["daysLeft"] == 20
    # When the rights are suspended, nothing is computed
    await mutate(api, RIGHTS_SET, adviser, **{**form, "daysGranted": 50, "state": "SUSPENDU"})
    refused = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-02-01")
    assert codes(refused) == {None: "NO_RIGHTS"}
    assert refused["userErrors"][0]["message"].startswith("Aucun droit ouvert")
    # When they open again, February pays the 20 days left and exhausts them
    await mutate(api, RIGHTS_SET, adviser, **{**form, "daysGranted": 50})
    february = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-02-01")
    assert february["payment"] == {"amount": {"cents": 80000}, "computation": {"daysPaid": 20}}
    mine = (await api(MINE, token=candidat.token))["viewer"]["indemnisation"]
    assert mine == {
        "state": "EPUISE",
        "daysGranted": 50,
        "daysLeft": 0,
        "expectedEnd": "2026-02-19",
    }
    march = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-03-01")
    assert codes(march) == {None: "NO_RIGHTS"}
