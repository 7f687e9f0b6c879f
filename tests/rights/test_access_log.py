"""The access log (issue 14 §5), over HTTP: which employer saw a CV or an application and
which adviser opened the candidat's file, recorded in one INSERT per request, once per
dedup window, readable by the candidat alone, and purged by the scheduled job."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event

from espace import scheduler
from resolvers.access_log.reads import export_access_log
from tests.conftest import LiveServer
from tests.proposals import test_proposals as proposals
from tests.rights.support import access_log
from tests.support.accounts import account_row, sign_up_employer
from tests.support.agencies import adviser_at, registered_candidate, two_agencies
from tests.support.applications import Applicant, add_cv, applicant, apply, employer_with_offer
from tests.support.client import GraphQL, MailCatcher
from tests.support.indemnisation import drive_clock

SEARCH = """
query { cvSearch(criteria: { romeCodes: ["D1102"] }, first: 50) {
  edges { node { id title candidate { nom } } } } }
"""
NODE = "query ($id: ID!) { node(id: $id) { ... on Cv { id title } } }"
RECEIVED = """
{ viewer { receivedApplications(first: 10) { edges { node {
  id applicant { nom prenom } cv { id } } } } } }
"""
FILE = "query ($i: String!) { candidatIndemnisation(identifiant: $i) { state } }"


@contextmanager
def inserts_into_the_log(server: LiveServer) -> Iterator[list[str]]:
    """The INSERT statements sent to ``access_log`` while the block runs."""
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ACCESS_LOG"):
            seen.append(statement)

    engine = server.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def summary(log: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    return [(e["kind"], e["subjectId"], e["companyName"] or e["adviserName"]) for e in log]


async def test_employer_views_are_logged_in_one_insert_once_per_window(
    server: LiveServer, api: GraphQL
) -> None:
    clock = drive_clock(server, datetime(2026, 3, 2, 9, tzinfo=UTC))
    named = await applicant(server, api, "PUBLISHED")
    anonymous = await applicant(server, api, "ANONYMOUS")
    private = await applicant(server, api, "PRIVATE")
    employer = await sign_up_employer(api, company_name="Boulangerie du Trieux")

    # a search showing two CVs writes both views in one statement
    with inserts_into_the_log(server) as inserts:
        found = await api(SEARCH, token=employer.token)
    shown = {e["node"]["id"] for e in found["cvSearch"]["edges"]}
    assert shown == {named.cv_id, anonymous.cv_id}
    assert len(inserts) == 1
    assert summary(await access_log(api, named.candidate.token)) == [
        ("CV_LISTED", named.cv_id, "Boulangerie du Trieux")
    ]
    assert summary(await access_log(api, anonymous.candidate.token)) == [
        ("CV_LISTED", anonymous.cv_id, "Boulangerie du Trieux")
    ]
    assert await access_log(api, private.candidate.token) == []

    # the same search again within the window: nothing written at all
    with inserts_into_the_log(server) as inserts:
        await api(SEARCH, token=employer.token)
    assert inserts == []

    # opening the CV is its own entry; its owner opening it is not logged
    opened = await api(NODE, {"id": named.cv_id}, token=employer.token)
    assert opened["node"]["id"] == named.cv_id
    await api(NODE, {"id": named.cv_id}, token=named.candidate.token)
    log = await access_log(api, named.candidate.token)
    assert [e["kind"] for e in log] == ["CV_OPENED", "CV_LISTED"]
    assert log[0]["byEmployer"] is True and log[0]["agencyName"] is None

    # after the window, the next view is a new entry
    clock.advance(timedelta(minutes=11))
    await api(SEARCH, token=employer.token)
    log = await access_log(api, named.candidate.token)
    assert [e["kind"] for e in log] == ["CV_LISTED", "CV_OPENED", "CV_LISTED"]
    assert log[0]["at"] > log[2]["at"]

    # only the candidat reads their log: not the employer, not another candidat
    assert await access_log(api, employer.token) == []
    entry = log[0]["id"]
    other = await api(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": entry}, anonymous.candidate.token
    )
    assert other["node"] is None


async def test_applications_and_adviser_reads_are_logged_with_names(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    agencies = await two_agencies(server, api)
    annaig = await registered_candidate(api, http, smtp, agencies["GUI01"], "log.gui@example.org")
    guingamp = await adviser_at(server, api, "GUI01", name="Gwenola Kervella")
    brest = await adviser_at(server, api, "BRE01", name="Erwan Le Bras")
    dossiers = await api("{ viewer { dossiers { edges { node { id } } } } }", token=annaig.token)
    dossier_id = dossiers["viewer"]["dossiers"]["edges"][0]["node"]["id"]
    cv_id = await add_cv(api, annaig, dossier_id)
    employer, offer = await employer_with_offer(api, company_name="Conserverie du Goëlo")
    application = await apply(api, Applicant(annaig, dossier_id, cv_id), offer["id"])

    # the employer reads the application: the applicant and the CV sent with it
    received = await api(RECEIVED, token=employer.token)
    [node] = [e["node"] for e in received["viewer"]["receivedApplications"]["edges"]]
    assert node["applicant"]["nom"] == "Le Goff" and node["cv"]["id"] == cv_id

    # the adviser of another agency learns nothing, and nothing is logged
    assert (await api(FILE, {"i": annaig.identifiant}, token=brest))[
        "candidatIndemnisation"
    ] is None
    # the adviser of the candidat's agency opens the file
    await api(FILE, {"i": annaig.identifiant}, token=guingamp)

    log = await access_log(api, annaig.token)
    assert {(e["kind"], e["subjectId"]) for e in log[1:]} == {
        ("APPLICATION_OPENED", application["id"]),
        ("CV_OPENED", cv_id),
    }
    adviser = log[0]
    assert adviser["kind"] == "FILE_OPENED" and adviser["subjectId"] is None
    assert adviser["byEmployer"] is False
    assert (adviser["adviserName"], adviser["agencyName"]) == (
        "Gwenola Kervella",
        "Agence de Guingamp",
    )
    assert {e["companyName"] for e in log[1:]} == {"Conserverie du Goëlo"}
    # the export's list (for issue 14 §1) holds the same entries, oldest first
    account = await account_row(server, identifiant=annaig.identifiant)
    async with server.runtime.sessionmaker() as session:
        exported = await export_access_log(session, account.id)
    assert [e["quoi"] for e in exported] == [e["kind"] for e in reversed(log)]
    assert (exported[-1]["conseiller"], exported[-1]["agence"]) == (
        "Gwenola Kervella",
        "Agence de Guingamp",
    )
    assert {e["entreprise"] for e in exported[:-1]} == {"Conserverie du Goëlo"}
    assert await access_log(api, guingamp) == []


async def test_reading_the_contact_of_an_accepted_proposal_is_logged(
    server: LiveServer, api: GraphQL
) -> None:
    who = await applicant(server, api, "ANONYMOUS")
    employer, _ = await employer_with_offer(api, company_name="Crêperie de l'Arcoat")
    proposal = await proposals.sent(api, employer, who.cv_id)
    await proposals.answer(api, who.candidate.token, proposal["id"], accept=True)
    node = await api(proposals.NODE, {"id": proposal["id"]}, token=employer.token)
    assert node["node"]["candidate"]["nom"] == "Le Goff"
    log = await access_log(api, who.candidate.token)
    assert ("CONTACT_OPENED", proposal["id"], "Crêperie de l'Arcoat") in summary(log)


async def test_the_scheduled_job_purges_entries_past_their_retention(
    server: LiveServer, api: GraphQL
) -> None:
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    clock = drive_clock(server, start)
    named = await applicant(server, api, "PUBLISHED")
    employer = await sign_up_employer(api)
    await api(SEARCH, token=employer.token)
    clock.advance(timedelta(days=200))
    await api(NODE, {"id": named.cv_id}, token=employer.token)
    assert len(await access_log(api, named.candidate.token)) == 2

    retention = server.runtime.settings.access_log_retention_days
    clock.set(start + timedelta(days=retention, hours=20))
    assert "access_log:purge" in await scheduler.tick(server.runtime, clock.now())
    assert [e["kind"] for e in await access_log(api, named.candidate.token)] == ["CV_OPENED"]
    # the slot is taken: another process's tick does not run it again
    assert "access_log:purge" not in await scheduler.tick(server.runtime, clock.now())
