"""Who the window's mails go to: the sign-up address, else the confirmed address of the
candidat's dossier; nobody who has already declared, nor who registered after the month."""

from __future__ import annotations

import httpx

from tests.actualisation.support import SUBMIT, at, declaration, mutate, paris
from tests.conftest import LiveServer
from tests.support.accounts import confirmed_candidate, sign_up_candidate
from tests.support.client import GraphQL, MailCatcher


async def test_mails_go_to_the_confirmed_dossier_address_without_a_sign_up_one(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat who gave no address at sign-up but confirmed their dossier's, one who
    # has already declared, and one registered after September
    await at(server, paris(2026, 9, 20, 12, 0))
    dossier_only = await confirmed_candidate(api, http, smtp, "dossier@example.org")
    early = await sign_up_candidate(api, email="early@example.org")
    await at(server, paris(2026, 9, 29, 12, 0))
    sent = await mutate(api, SUBMIT, early.token, **declaration())
    assert sent["userErrors"] == []
    await at(server, paris(2026, 10, 3, 12, 0))
    await sign_up_candidate(api, email="late@example.org")
    await smtp.wait_for(3)  # early's welcome and receipt, late's welcome
    with smtp.lock:
        smtp.messages.clear()
    # When the reminder slot comes, three days before the end
    await at(server, paris(2026, 10, 13, 0, 0), True)
    # Then only the candidat who has to declare and has not is reminded, at the dossier's
    [reminder] = await smtp.wait_for(1)
    assert str(reminder["To"]) == "dossier@example.org"
    assert reminder["Subject"].startswith("Rappel : actualisez-vous pour septembre 2026")
    assert dossier_only.email == "dossier@example.org"
