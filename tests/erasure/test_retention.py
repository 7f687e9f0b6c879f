"""The retention job (issue 14 §4), with the runtime clock: an inactive candidat is warned
30 days before the two years, and erased at two years unless they sign in; a refused
application is anonymized for the employer after two years."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from models.classeur import SavedOffer
from models.offers import Offer
from tests.actualisation.support import at
from tests.conftest import LiveServer
from tests.erasure.support import EMPLOYER_VIEW, SIGN_IN, payload
from tests.support.accounts import confirmed_candidate, unique_email
from tests.support.applications import STATUS_CHANGE, applicant, employer_with_offer, submit
from tests.support.client import GraphQL, MailCatcher

DAY = timedelta(days=1)
SAVE = "mutation ($id: ID!) { classeurSave(input: {offerId: $id}) { userErrors { code } } }"
CLOSE = "mutation ($id: ID!) { offerClose(input: {id: $id}) { userErrors { code } } }"


async def _subjects(smtp: MailCatcher, to: str, subject: str) -> list[str]:
    for _ in range(50):
        found = [m["Subject"] for m in smtp.messages if to in m["To"]]
        if subject in found:
            return found
        await asyncio.sleep(0.1)
    return found


def _sign_in(candidate_identifiant: str, password: str) -> dict[str, object]:
    return {
        "input": {"identifiant": candidate_identifiant, "postalCode": "22200", "password": password}
    }


async def test_an_inactive_candidat_is_warned_then_erased_unless_they_sign_in(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    start = datetime.now(UTC)
    kept = await confirmed_candidate(api, http, smtp, unique_email("fidele"))
    gone = await confirmed_candidate(api, http, smtp, unique_email("absente"))
    assert kept.email and gone.email
    # When nobody signs in for two years minus 30 days
    # (the daily job runs as of 3:00, Paris time, of the day it is run)
    await at(server, start + 701 * DAY + timedelta(hours=1), True)
    # Then both are warned by mail
    for who in (kept.email, gone.email):
        subjects = await _subjects(smtp, who, "Votre compte sera supprimé faute de connexion")
        assert "Votre compte sera supprimé faute de connexion" in subjects
    # And the one who signs in keeps the account
    signed = payload(await api(SIGN_IN, _sign_in(kept.identifiant, kept.password)))
    assert signed["accountDeletionCancelled"] is True
    # When two years have passed
    await at(server, start + 732 * DAY + timedelta(hours=2), True)
    # Then the other is erased (and told), the one who signed in is not
    subjects = await _subjects(smtp, gone.email, "Votre compte a été supprimé")
    assert "Votre compte a été supprimé" in subjects
    refused = payload(await api(SIGN_IN, _sign_in(gone.identifiant, gone.password)))
    assert [e["code"] for e in refused["userErrors"]] == ["INVALID_CREDENTIALS"]
    again = payload(await api(SIGN_IN, _sign_in(kept.identifiant, kept.password)))
    assert again["userErrors"] == [] and again["accountDeletionCancelled"] is False


async def test_a_refused_application_is_anonymized_after_two_years(
    server: LiveServer, api: GraphQL
) -> None:
    start = datetime.now(UTC)
    employer, offer = await employer_with_offer(api)
    who = await applicant(server, api)
    sent = await submit(api, who, offer["id"])
    application_id = sent["application"]["id"]
    for status in ("VIEWED", "IN_PROGRESS", "REFUSED"):
        moved = await api(
            STATUS_CHANGE,
            {"input": {"id": application_id, "status": status, "message": "Merci Madame Le Goff."}},
            token=employer.token,
        )
        assert moved["applicationStatusChange"]["userErrors"] == [], moved
    # A year later the employer still sees who applied
    await at(server, start + 365 * DAY, True)
    seen = await api(EMPLOYER_VIEW, {"id": application_id}, token=employer.token)
    assert seen["node"]["applicant"]["nom"] == "Le Goff"
    # Two years after the refusal, « candidat supprimé »
    await at(server, start + 732 * DAY, True)
    seen = await api(EMPLOYER_VIEW, {"id": application_id}, token=employer.token)
    assert seen["node"] == {
        "message": "candidat supprimé",
        "cv": None,
        "applicant": {"nom": "candidat supprimé", "prenom": "", "email": None},
    }


async def test_a_closed_offer_loses_its_personal_links_after_two_years(
    server: LiveServer, api: GraphQL
) -> None:
    start = datetime.now(UTC)
    employer, offer = await employer_with_offer(
        api, contact={"nom": "Yannick Recruteur", "courriel": "yannick.rh@example.org"}
    )
    who = await applicant(server, api)
    saved = await api(SAVE, {"id": offer["id"]}, token=who.candidate.token)
    assert saved["classeurSave"]["userErrors"] == []
    closed = await api(CLOSE, {"id": offer["id"]}, token=employer.token)
    assert closed["offerClose"]["userErrors"] == []
    # A year on, the links are still there
    await at(server, start + 365 * DAY, True)
    assert await _links(server) == (1, True)
    # Two years after closing, who saved it and the recruiter's contact are gone
    await at(server, start + 732 * DAY, True)
    assert await _links(server) == (0, False)


async def _links(server: LiveServer) -> tuple[int, bool]:
    async with server.runtime.sessionmaker() as session:
        saved = await session.scalar(select(func.count()).select_from(SavedOffer))
        contact = await session.scalar(select(Offer.contact).where(Offer.status == "CLOSED"))
    return int(saved or 0), contact is not None
