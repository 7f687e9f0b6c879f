"""The payment run goes chunk by chunk: every due payment is made once, with its own
event and mail, however many chunks it takes; a second run finds nothing to make."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from espace.cli.main import main
from resolvers.indemnisation.payrun import pay_due
from tests.conftest import LiveServer
from tests.support.agencies import adviser_at
from tests.support.client import GraphQL, MailCatcher, text_part
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
  indemnisationPaymentCompute(input: $input) {
    payment { id amount { formatted } }
    userErrors { field code }
  }
}
"""
MINE = """
{ viewer {
  indemnisation { lastPaymentSentence payments(first: 5) { edges { node { id status } } } }
  dashboard { events(first: 5) { edges { node { kind subjectId message } } } }
} }
"""


async def test_three_payments_made_in_chunks_of_two(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given three candidats of Guingamp whose February is computed on Monday 2 March 2026
    clock = drive_clock(server, paris(2026, 3, 2))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    people = [await candidat_at(api, http, smtp, agencies["GUI01"]) for _ in range(3)]
    payments = {}
    for n, person in enumerate(people):
        opened = await mutate(
            api,
            RIGHTS_SET,
            adviser,
            identifiant=person.identifiant,
            state="OUVERT",
            kind="ARE",
            dailyNetRate=f"3{n},00",
            startDate="2026-01-05",
            daysGranted=365,
            referenceSalary="2 000",
        )
        assert opened["userErrors"] == []
        month = {"identifiant": person.identifiant, "period": "2026-02-01"}
        computed = await mutate(api, COMPUTE, adviser, **month)
        assert computed["userErrors"] == []
        payments[person.identifiant] = computed["payment"]
    with smtp.lock:
        smtp.messages.clear()  # the sign-up and confirmation mails

    # When the run of Thursday 5 March goes two payments at a time
    clock.set(paris(2026, 3, 5, 0, 30))
    assert await pay_due(server.runtime, clock.now(), chunk=2) == 3
    # Then each candidat has their payment made, their event and their own mail
    for person in people:
        mine = (await api(MINE, token=person.token))["viewer"]
        paid = payments[person.identifiant]
        assert mine["indemnisation"]["payments"]["edges"] == [
            {"node": {"id": paid["id"], "status": "PAID"}}
        ]
        assert mine["indemnisation"]["lastPaymentSentence"] == (
            f"Au 05/03/2026 mon dernier versement est de {paid['amount']['formatted']} net"
        )
        [event] = [
            e["node"]
            for e in mine["dashboard"]["events"]["edges"]
            if e["node"]["kind"] == "PAYMENT_MADE"
        ]
        assert event["subjectId"] == paid["id"]
        assert (
            event["message"] == f"Paiement de {paid['amount']['formatted']} effectué le 05/03/2026."
        )
        [mail] = await smtp.wait_for(1, to=person.email)
        assert "février 2026" in text_part(mail)
        assert "Jours décomptés de vos droits : 30" in text_part(mail)
    # And a second run (another night, another process) makes nothing again
    assert await pay_due(server.runtime, clock.now(), chunk=2) == 0


async def test_espace_indemnisation_pay_makes_what_is_due(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a payment computed on 2 March 2026 for Thursday 5 March (the server's clock)
    drive_clock(server, paris(2026, 3, 2))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    person = await candidat_at(api, http, smtp, agencies["GUI01"])
    opened = await mutate(
        api,
        RIGHTS_SET,
        adviser,
        identifiant=person.identifiant,
        state="OUVERT",
        kind="ARE",
        dailyNetRate="30,00",
        startDate="2026-01-05",
        daysGranted=365,
        referenceSalary=None,
    )
    assert opened["userErrors"] == []
    month = {"identifiant": person.identifiant, "period": "2026-02-01"}
    assert (await mutate(api, COMPUTE, adviser, **month))["userErrors"] == []
    # When the operator runs the command (its own clock: the system's, long after that day)
    monkeypatch.setenv("ESPACE_DATABASE_URL", server.settings.database_url)
    monkeypatch.setenv("ESPACE_SECRET_KEY", "a-test-secret-that-is-not-the-default")
    monkeypatch.setenv("ESPACE_OUTBOX_ENABLED", "false")  # the server's worker sends
    assert await asyncio.to_thread(main, ["indemnisation", "pay"]) == 0
    # Then the payment is made, once
    assert "1 paiement(s) effectué(s)" in capsys.readouterr().out
    mine = (await api(MINE, token=person.token))["viewer"]["indemnisation"]
    assert [e["node"]["status"] for e in mine["payments"]["edges"]] == ["PAID"]
    mails = await smtp.wait_for(1, to=person.email)
    assert any("900,00" in text_part(m) for m in mails)
    assert await asyncio.to_thread(main, ["indemnisation", "pay"]) == 0
    assert "0 paiement(s) effectué(s)" in capsys.readouterr().out
