"""The bank account: checked with schwifty, masked, changed with the password again, in
effect after the delay (cancellable meanwhile), with a notice mail and a live event."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
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

BNP = "FR76 3000 4000 0312 3456 7890 143"
POSTE = "FR14 2004 1010 0505 0001 3M02 606"
ACCOUNT = "iban bic holder bankName effectiveAt"
CHANGE = f"""
mutation ($input: BankAccountChangeInput!) {{
  bankAccountChange(input: $input) {{
    change {{ {ACCOUNT} }}
    bankAccount {{ current {{ iban }} pending {{ iban effectiveAt }} }}
    userErrors {{ field code message }}
  }}
}}
"""
CANCEL = """
mutation ($input: BankAccountChangeCancelInput!) {
  bankAccountChangeCancel(input: $input) {
    bankAccount { current { iban } pending { iban } }
    userErrors { field code }
  }
}
"""
MINE = "{ viewer { bankAccount { current { iban holder } pending { iban } } } }"
COMPUTE = """
mutation ($input: IndemnisationPaymentComputeInput!) {
  indemnisationPaymentCompute(input: $input) {
    payment { bankAccount } userErrors { code }
  }
}
"""
LIVE = "subscription { dashboardEvents { kind message } }"


async def test_every_field_is_checked_at_once(server: LiveServer, api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    empty = await mutate(api, CHANGE, candidat.token, iban="", holder=" ", currentPassword="")
    assert codes(empty) == {
        "iban": "REQUIRED",
        "bic": "REQUIRED",
        "holder": "REQUIRED",
        "currentPassword": "REQUIRED",
    }
    wrong = await mutate(
        api,
        CHANGE,
        candidat.token,
        iban=BNP[:-1] + "4",
        bic="ZZ",
        holder="Annaïg Le Goff",
        currentPassword=candidat.password,
    )
    assert codes(wrong) == {"iban": "INVALID_IBAN", "bic": "INVALID_BIC"}
    # A real BIC, but not the bank of the IBAN
    other_bank = await mutate(
        api,
        CHANGE,
        candidat.token,
        iban=BNP,
        bic="PSSTFRPPXXX",
        holder="Annaïg Le Goff",
        currentPassword=candidat.password,
    )
    assert codes(other_bank) == {"bic": "BIC_MISMATCH"}
    # Outside SEPA
    us = await mutate(
        api,
        CHANGE,
        candidat.token,
        iban="BR1500000000000010932840814P2",
        bic="BNPAFRPP",
        holder="Annaïg Le Goff",
        currentPassword=candidat.password,
    )
    assert codes(us)["iban"] == "INVALID_IBAN"
    # The right account, the wrong password
    refused = await mutate(
        api, CHANGE, candidat.token, iban=BNP, holder="Annaïg Le Goff", currentPassword="nope!"
    )
    assert codes(refused) == {"currentPassword": "WRONG_PASSWORD"} and refused["change"] is None
    assert (await api(MINE, token=candidat.token))["viewer"]["bankAccount"] == {
        "current": None,
        "pending": None,
    }


async def test_a_change_takes_effect_after_the_delay_and_can_be_cancelled(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat with open rights, on Monday 2 March 2026 at 9:00
    clock = drive_clock(server, paris(2026, 3, 2))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    candidat = await candidat_at(api, http, smtp, agencies["GUI01"])
    ident = candidat.identifiant
    opened = await mutate(
        api,
        RIGHTS_SET,
        adviser,
        identifiant=ident,
        state="OUVERT",
        dailyNetRate="40",
        startDate="2026-01-01",
        daysGranted=365,
    )
    assert opened["userErrors"] == []
    async with subscribed(server, candidat.token, LIVE) as ws:
        await until_listening(ws)
        # When they give a first account (the BIC is optional: the bank is known)
        first = await mutate(
            api,
            CHANGE,
            candidat.token,
            iban=BNP,
            holder="Annaïg Le Goff",
            currentPassword=candidat.password,
        )
        # Then it is in effect at once, masked
        assert first["userErrors"] == []
        assert first["change"]["iban"] == "FR76 •••• •••• •••• 0143"
        assert first["change"]["bic"] == "BNPAFRPP" and first["change"]["bankName"]
        assert first["bankAccount"] == {
            "current": {"iban": "FR76 •••• •••• •••• 0143"},
            "pending": None,
        }
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["kind"] == "BANK_ACCOUNT_CHANGED"
        # When they change it to La Banque Postale
        second = await mutate(
            api,
            CHANGE,
            candidat.token,
            iban=POSTE,
            bic="PSSTFRPPXXX",
            holder="Annaïg Le Goff",
            currentPassword=candidat.password,
        )
        # Then it waits 72 hours; payments computed meanwhile go to the first account
        assert second["userErrors"] == []
        assert second["bankAccount"]["current"] == {"iban": "FR76 •••• •••• •••• 0143"}
        assert second["bankAccount"]["pending"] == {
            "iban": "FR14 •••• •••• •••• 2606",
            "effectiveAt": "2026-03-05T08:00:00+00:00",
        }
        event = (await ws.next_data("1"))["dashboardEvents"]
        assert event["kind"] == "BANK_ACCOUNT_CHANGED"
        assert "FR14 •••• •••• •••• 2606" in event["message"]
        assert "05/03/2026 à 09 h 00" in event["message"]
        january = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-01-01")
        assert january["payment"]["bankAccount"] == "FR76 •••• •••• •••• 0143"
        # And a notice mail goes to the address on file for each change, never the IBAN
        mails = await smtp.wait_for(2, to=candidat.email)
        notice = text_part(mails[1])
        assert "FR14 •••• •••• •••• 2606" in notice and "05/03/2026" in notice
        assert "2004 1010" not in notice and "annulez" in notice
        # When they cancel it, it never takes effect
        cancelled = await mutate(api, CANCEL, candidat.token)
        assert cancelled["bankAccount"] == {
            "current": {"iban": "FR76 •••• •••• •••• 0143"},
            "pending": None,
        }
        assert (await ws.next_data("1"))["dashboardEvents"]["kind"] == (
            "BANK_ACCOUNT_CHANGE_CANCELLED"
        )
        assert codes(await mutate(api, CANCEL, candidat.token)) == {None: "NOTHING_PENDING"}
        mails = await smtp.wait_for(3, to=candidat.email)
        assert "annulé" in str(mails[2]["Subject"])
        assert "restent versées sur le compte FR76 •••• •••• •••• 0143" in text_part(mails[2])
        clock.advance(timedelta(days=4))
        mine = (await api(MINE, token=candidat.token))["viewer"]["bankAccount"]
        assert mine["current"]["iban"] == "FR76 •••• •••• •••• 0143"
        # When they change it again and the delay passes, payments go to the new account
        third = await mutate(
            api,
            CHANGE,
            candidat.token,
            iban=POSTE,
            holder="Annaïg Le Goff",
            currentPassword=candidat.password,
        )
        assert third["userErrors"] == []
        clock.advance(timedelta(hours=71, minutes=59))
        february = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-02-01")
        assert february["payment"]["bankAccount"] == "FR76 •••• •••• •••• 0143"
        clock.advance(timedelta(minutes=1))
        march = await mutate(api, COMPUTE, adviser, identifiant=ident, period="2026-03-01")
        assert march["payment"]["bankAccount"] == "FR14 •••• •••• •••• 2606"
    mine = (await api(MINE, token=candidat.token))["viewer"]["bankAccount"]
    assert mine == {
        "current": {"iban": "FR14 •••• •••• •••• 2606", "holder": "Annaïg Le Goff"},
        "pending": None,
    }


async def test_advisers_and_employers_have_no_bank_account(
    server: LiveServer, api: GraphQL
) -> None:
    await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    assert (await api(MINE, token=adviser))["viewer"]["bankAccount"] is None
    refused = await mutate(
        api, CHANGE, adviser, iban=BNP, holder="X", currentPassword="whatever-123"
    )
    assert codes(refused) == {None: "WRONG_ACCOUNT_KIND"}
