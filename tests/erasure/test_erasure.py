"""Erasure end to end (issue 14 §3), on SQLite and PostgreSQL: a rich account asks for its
deletion with its password, gets the mail, and at the end of the grace period the job
leaves no trace of the person's nom, e-mail, phone, identifiant or IBAN in any table or
file; a second account is untouched, the employer sees « candidat supprimé », the open
socket is closed with 4403. Signing in during the grace period cancels."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from espace import scheduler
from tests.actualisation.support import at, paris
from tests.conftest import LiveServer
from tests.erasure.support import (
    ACCOUNT_DELETE,
    DOSSIERS,
    EMPLOYER_VIEW,
    SIGN_IN,
    Person,
    all_rows,
    payload,
    seed,
    traces,
    upload_dir,
)
from tests.journeys.unemployment_steps import BNP, POSTE
from tests.support.accounts import confirmed_candidate, sign_up_candidate
from tests.support.agencies import adviser_at, two_agencies
from tests.support.applications import DASHBOARD_EVENTS, employer_with_offer
from tests.support.client import GraphQL, MailCatcher, text_part
from tests.support.ws import subscribed


async def _world(server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher):  # type: ignore[no-untyped-def]
    await at(server, paris(2026, 9, 29, 10, 0))
    agencies = await two_agencies(server, api)
    adviser = await adviser_at(server, api, "GUI01")
    employer, offer = await employer_with_offer(api)
    common = {"agency_id": agencies["GUI01"], "adviser": adviser, "offer_id": offer["id"]}
    gwenola = await seed(
        server,
        api,
        http,
        smtp,
        nom="Kerjean-Erasme",
        prenom="Gwenola",
        email="gwenola.kerjean@example.org",
        phone="06 71 82 93 04",
        iban=BNP,
        **common,
    )
    other = await seed(
        server,
        api,
        http,
        smtp,
        nom="Tanguy-Morvan",
        prenom="Soazig",
        email="soazig.tanguy@example.org",
        phone="06 55 44 33 22",
        iban=POSTE,
        **common,
    )
    return employer, gwenola, other


async def _delete(api: GraphQL, person: Person, password: str) -> dict:  # type: ignore[type-arg]
    data = await api(
        ACCOUNT_DELETE, {"input": {"currentPassword": password}}, token=person.candidate.token
    )
    return payload(data)


async def test_erasure_leaves_no_trace_and_spares_the_others(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    employer, gwenola, other = await _world(server, api, http, smtp)
    with smtp.lock:
        smtp.messages.clear()
    # The scan finds each of her identifiers before: in the tables, and in her CV's file
    before = traces(await all_rows(server), upload_dir(server), gwenola.needles())
    found = {hit.split(": ", 1)[1] for hit in before}
    assert found >= set(gwenola.needles()) - {gwenola.iban.lower(), "0671829304"}, before
    assert any(hit.startswith("file ") for hit in before)

    # When she asks with a wrong password, then with hers
    wrong = await _delete(api, gwenola, "pas le bon mot de passe")
    assert [e["code"] for e in wrong["userErrors"]] == ["WRONG_PASSWORD"]
    asked = await _delete(api, gwenola, gwenola.candidate.password)
    assert asked["userErrors"] == [] and asked["dueAt"].startswith("2026-10-06")
    [notice] = await smtp.wait_for(1, to=gwenola.email)
    assert notice["Subject"] == "La suppression de votre compte est programmée"
    assert "il suffit de vous connecter" in text_part(notice)

    async with subscribed(server, gwenola.candidate.token, DASHBOARD_EVENTS) as ws:
        # Then nothing happens before the end of the grace period
        await at(server, paris(2026, 10, 5, 10, 0), True)
        assert (await api(DOSSIERS, token=gwenola.candidate.token))["viewer"]["dossiers"]
        # and at its end the job erases her, closing her socket with 4403
        assert "erasure:due" in await at(server, paris(2026, 10, 6, 11, 0), True)
        assert (await ws.closed(5)).code == 4403

    for _ in range(50):
        subjects = [m["Subject"] for m in smtp.messages if gwenola.email in m["To"]]
        if "Votre compte a été supprimé" in subjects:
            break
        await asyncio.sleep(0.1)
    assert "Votre compte a été supprimé" in subjects
    sent = await all_rows(server)

    async def forgotten() -> bool:
        nonlocal sent
        sent = await all_rows(server)
        return not any(gwenola.email in row for row in sent["outbox_mails"])

    for _ in range(50):
        if await forgotten():
            break
        await at(server, paris(2026, 10, 6, 11, 1))
        await asyncio.sleep(0.1)
    # A scan of every table and of the files directory finds no trace of her
    assert traces(sent, upload_dir(server), gwenola.needles()) == []
    # Her payment is kept, in a minimal form (no masked bank account), by law
    assert len(sent["indemnisation_payments"]) == 2
    assert sum("•" in row for row in sent["indemnisation_payments"]) == 1
    # She can no longer sign in
    again = payload(
        await api(
            SIGN_IN,
            {
                "input": {
                    "identifiant": gwenola.candidate.identifiant,
                    "postalCode": "22200",
                    "password": gwenola.candidate.password,
                }
            },
        )
    )
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_CREDENTIALS"]
    # The employer sees « candidat supprimé »
    seen = await api(EMPLOYER_VIEW, {"id": gwenola.application_id}, token=employer.token)
    assert seen["node"] == {
        "message": "candidat supprimé",
        "cv": None,
        "applicant": {"nom": "candidat supprimé", "prenom": "", "email": None},
    }
    # The other candidat is untouched: her data, her files, her application
    assert len(traces(sent, upload_dir(server), other.needles())) >= 5
    mine = await api(DOSSIERS, token=other.candidate.token)
    assert mine["viewer"]["dossiers"]["edges"][0]["node"]["nom"] == "Tanguy-Morvan"
    theirs = await api(EMPLOYER_VIEW, {"id": other.application_id}, token=employer.token)
    assert theirs["node"]["applicant"]["nom"] == "Tanguy-Morvan"
    assert any(p.is_file() for p in upload_dir(server).rglob("*"))


async def test_signing_in_during_the_grace_period_cancels(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    await at(server, paris(2026, 9, 29, 10, 0))
    candidate = await confirmed_candidate(api, http, smtp, "maiwenn.cancel@example.org")
    asked = payload(
        await api(
            ACCOUNT_DELETE,
            {"input": {"currentPassword": candidate.password}},
            token=candidate.token,
        )
    )
    assert asked["userErrors"] == []
    # When she signs in three days later
    await at(server, paris(2026, 10, 2, 10, 0))
    signed = payload(
        await api(
            SIGN_IN,
            {
                "input": {
                    "identifiant": candidate.identifiant,
                    "postalCode": candidate.postal_code,
                    "password": candidate.password,
                }
            },
        )
    )
    assert signed["userErrors"] == [] and signed["accountDeletionCancelled"] is True
    # Then a mail says so
    for _ in range(50):
        subjects = [m["Subject"] for m in smtp.messages if "maiwenn" in m["To"]]
        if "La suppression de votre compte est annulée" in subjects:
            break
        await asyncio.sleep(0.1)
    assert subjects == [
        "La suppression de votre compte est programmée",
        "La suppression de votre compte est annulée",
    ]
    # And the job, past the grace period, erases nothing
    await at(server, paris(2026, 10, 7, 10, 0), True)
    again = payload(
        await api(
            SIGN_IN,
            {
                "input": {
                    "identifiant": candidate.identifiant,
                    "postalCode": candidate.postal_code,
                    "password": candidate.password,
                }
            },
        )
    )
    assert again["userErrors"] == [] and again["accountDeletionCancelled"] is False


async def test_only_a_candidat_deletes_here_and_the_password_is_required(
    server: LiveServer, api: GraphQL
) -> None:
    employer, _ = await employer_with_offer(api)
    refused = payload(
        await api(
            ACCOUNT_DELETE, {"input": {"currentPassword": employer.password}}, token=employer.token
        )
    )
    assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"]
    candidate = await sign_up_candidate(api)
    empty = payload(
        await api(ACCOUNT_DELETE, {"input": {"currentPassword": ""}}, token=candidate.token)
    )
    assert [(e["field"], e["code"]) for e in empty["userErrors"]] == [
        ("currentPassword", "REQUIRED")
    ]
    anonymous = payload(await api(ACCOUNT_DELETE, {"input": {"currentPassword": "x"}}))
    assert [e["code"] for e in anonymous["userErrors"]] == ["UNAUTHENTICATED"]
    assert timedelta(days=server.runtime.settings.erasure_grace_days) == timedelta(days=7)
    _ = scheduler
