"""Issue 5's full dashboard query costs the same few SQL statements whatever the candidat
holds: one for the home lists (dossiers, their CVs and alerts, the applications with their
offers) and one for the tableau de bord (counts and events, and since issue 13 « Mon dossier
de demandeur d'emploi » and « Mes actions »; see test_sql_file.py). The token's session
check is served from the cache once the token has been seen (issue 12,
tests/identity/test_session_cache.py): a first request adds that one lookup."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from tests.compiled.support import twin_server
from tests.conftest import LiveServer
from tests.support.accounts import Candidate, Employer, sign_up_candidate
from tests.support.alerts import create_alert
from tests.support.applications import Applicant, apply, employer_with_offer
from tests.support.client import GraphQL, MailCatcher, links
from tests.support.cvs import create_cv, publish_cv
from tests.support.dossiers import create_dossier
from tests.support.offers import post_offer

FULL_DASHBOARD = """
query FullDashboard {
  viewer {
    id identifiant
    dossiers(first: 5) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id name
        cvs(first: 5) { edges { node { id title visibility completeness { score } } } }
        alerts(first: 5) { edges { node { id name status } } }
      } }
    }
    applications(first: 10) {
      pageInfo { hasNextPage endCursor }
      edges { node { id status submittedAt offer { id intitule } } }
    }
    dashboard {
      lastVisitAt
      newSinceLastVisit { dossiers account messages proposals applications savedOffers alerts cvs }
      unreadMessages
      pendingProposals
      events(first: 20) { edges { node { id kind message occurredAt } } }
      actions { code message dossierId subjectId }
      unemploymentFile {
        declarationState windowSentence declarationSentence window { period declared }
        lastActualisation { number } lastActualisationSentence
        lastPayment { paidOn amount { formatted } } lastPaymentSentence
        unreadLetters nextAppointment { id theme status } nextAppointmentSentence
      }
    }
  }
}
"""
# Each part alone: no look-ahead batch, the fields' own queries.
COUNTS_ALONE = """{ viewer { dashboard {
  newSinceLastVisit { dossiers account messages proposals applications savedOffers alerts cvs }
} } }"""
UNREAD_ALONE = "{ viewer { dashboard { unreadMessages } } }"
PENDING_ALONE = "{ viewer { dashboard { pendingProposals } } }"
EVENTS_ALONE = "{ viewer { dashboard { events(first: 20) { edges { node { id } } } } } }"
# Two pages of the same lists: the look-ahead takes the first, the loaders batch the other.
TWO_PAGES = """
{ viewer {
  small: dossiers(first: 1) {
    pageInfo { hasNextPage }
    edges { node { name cvs(first: 1) { pageInfo { hasNextPage } edges { node { title } } } } }
  }
  large: dossiers(first: 2) {
    edges { node { name cvs(first: 2) { edges { node { title completeness { score } } } } } }
  }
} }
"""
SEND_PROPOSAL = """
mutation ($input: ProposalSendInput!) {
  proposalSend(input: $input) { proposal { id } userErrors { field code } }
}
"""
START_CONVERSATION = """
mutation ($input: ConversationStartInput!) {
  conversationStart(input: $input) { conversation { id } userErrors { field code } }
}
"""
SEND_MESSAGE = """
mutation ($input: MessageSendInput!) {
  messageSend(input: $input) { message { id } userErrors { field code } }
}
"""
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
# A token seen stays checked from the cache through a whole test, however loaded the machine.
CACHED_CHECKS = {"session_cache_seconds": 600}
INTERPRETED = {**CACHED_CHECKS, "compiled_reads": False}
"""The interpreter's own budgets (the compiled path's: tests/dashboard/test_sql_compiled.py)."""


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return CACHED_CHECKS


@contextmanager
def counted(server: LiveServer) -> Iterator[list[str]]:
    """The statements the server sends meanwhile, but for transaction control and what runs
    beside the request (the mail and data-export workers, the background bump of a session's
    idle expiry)."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        text = " ".join(statement.split())
        beside = ("outbox_mails", "data_exports", "UPDATE sessions")
        if text.startswith(CONTROL) or any(part in text for part in beside):
            return
        statements.append(text)

    engine = server.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def seen(api: GraphQL, *tokens: str) -> None:
    """A request with each token: its session check is cached from then on."""
    for token in tokens:
        assert (await api("{ viewer { kind } }", token=token))["viewer"] is not None


async def confirmed_dossier(
    api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher, token: str, n: int
) -> str:
    email = f"tableau.complet.{n}@example.org"
    dossier = await create_dossier(api, token, name=f"DRE{n + 1}", email=email)
    [mail] = await smtp.wait_for(1, to=email)
    assert (await http.get(links(mail)[0])).status_code == 200
    dossier_id: str = dossier["id"]
    return dossier_id


@dataclass
class Busy:
    candidate: Candidate
    employer: Employer


async def busy_candidat(api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher) -> Busy:
    """A candidat with three confirmed dossiers, each with three CVs and two alerts, and
    three applications to an employer; the employer sent a proposal and wrote about two of
    the applications, and the candidat answered one: each has an unread message."""
    candidate = await sign_up_candidate(api)
    dossiers = [await confirmed_dossier(api, http, smtp, candidate.token, n) for n in range(3)]
    cvs = []
    for n, dossier_id in enumerate(dossiers):
        for i in range(3):
            cv = await create_cv(api, candidate.token, dossier_id, title=f"CV {n + 1}.{i + 1}")
            cvs.append(cv["id"])
        for name in ("Boulangerie", "Pâtisserie"):
            await create_alert(api, candidate.token, dossier_id, name=name)
    employer, offer = await employer_with_offer(api)
    offers = [offer] + [await post_offer(api, employer.token, intitule=t) for t in ("Tourier",)]
    offers.append(await post_offer(api, employer.token, intitule="Pâtissier"))
    who = Applicant(candidate, dossiers[0], cvs[0])
    applications = [await apply(api, who, o["id"]) for o in offers]
    await publish_cv(api, candidate.token, cvs[0], "PUBLISHED")
    proposal = {"cvId": cvs[0], "text": "Boulanger de nuit.", "message": "Disponible en juin ?"}
    sent = await api(SEND_PROPOSAL, {"input": proposal}, token=employer.token)
    assert sent["proposalSend"]["userErrors"] == []
    for application, answer in ((applications[0], None), (applications[1], "Oui, lundi.")):
        started = await api(
            START_CONVERSATION,
            {"input": {"kind": "EMPLOYER", "subjectId": application["id"], "body": "Lundi ?"}},
            token=employer.token,
        )
        payload = started["conversationStart"]
        assert payload["userErrors"] == []
        if answer is not None:
            reply = {"conversationId": payload["conversation"]["id"], "body": answer}
            sent = await api(SEND_MESSAGE, {"input": reply}, token=candidate.token)
            assert sent["messageSend"]["userErrors"] == []
    return Busy(candidate, employer)


async def parts_alone(api: GraphQL, token: str) -> dict[str, Any]:
    """The dashboard's parts, each asked on its own (no look-ahead batch)."""
    alone: dict[str, Any] = {}
    for document in (COUNTS_ALONE, UNREAD_ALONE, PENDING_ALONE, EVENTS_ALONE):
        alone.update((await api(document, token=token))["viewer"]["dashboard"])
    return alone


def same_parts(board: dict[str, Any], alone: dict[str, Any]) -> None:
    for name in ("newSinceLastVisit", "unreadMessages", "pendingProposals"):
        assert board[name] == alone[name], name
    ids = [[e["node"]["id"] for e in b["events"]["edges"]] for b in (board, alone)]
    assert ids[0] == ids[1]


@pytest.mark.parametrize("settings_overrides", [INTERPRETED])
async def test_the_full_dashboard_takes_two_statements_whatever_the_candidat_holds(
    server: LiveServer, api: GraphQL, http: httpx.AsyncClient, smtp: MailCatcher
) -> None:
    # Given a candidat with one dossier and nothing else, and one who holds a lot
    newcomer = await sign_up_candidate(api)
    await create_dossier(api, newcomer.token)
    busy = await busy_candidat(api, http, smtp)

    # When each asks for the full dashboard (their tokens already seen: checked from the cache)
    await seen(api, newcomer.token, busy.candidate.token)
    with counted(server) as few:
        small = (await api(FULL_DASHBOARD, token=newcomer.token))["viewer"]
    with counted(server) as many:
        viewer = (await api(FULL_DASHBOARD, token=busy.candidate.token))["viewer"]

    # Then both cost the same two statements: no N+1, nothing per dossier
    assert len(few) == 2, few
    assert len(many) == 2, many
    assert [d["node"]["name"] for d in small["dossiers"]["edges"]] == ["DRE1"]
    # And the busy candidat sees everything, in order
    dossiers = [d["node"] for d in viewer["dossiers"]["edges"]]
    assert [d["name"] for d in dossiers] == ["DRE1", "DRE2", "DRE3"]
    assert viewer["dossiers"]["pageInfo"]["hasNextPage"] is False
    for n, dossier in enumerate(dossiers):
        cvs = [c["node"] for c in dossier["cvs"]["edges"]]
        assert [c["title"] for c in cvs] == [f"CV {n + 1}.{i + 1}" for i in range(3)]
        assert all(c["completeness"]["score"] > 0 for c in cvs)
        alerts = [a["node"] for a in dossier["alerts"]["edges"]]
        assert [(a["name"], a["status"]) for a in alerts] == [
            ("Boulangerie", "ACTIVE"),
            ("Pâtisserie", "ACTIVE"),
        ]
    applications = [a["node"] for a in viewer["applications"]["edges"]]
    assert [a["offer"]["intitule"] for a in applications] == ["Pâtissier", "Tourier", "Boulanger"]
    assert {a["status"] for a in applications} == {"SENT"}
    # And the dashboard parts equal what each field answers on its own
    board = viewer["dashboard"]
    assert (board["unreadMessages"], board["pendingProposals"]) == (1, 1)
    assert board["newSinceLastVisit"]["cvs"] >= 9
    assert board["newSinceLastVisit"]["applications"] == 3
    assert len(board["events"]["edges"]) == 20
    same_parts(board, await parts_alone(api, busy.candidate.token))
    # And so does the employer's (the candidat's answer is unread, no proposal to answer)
    employer = (await api(FULL_DASHBOARD, token=busy.employer.token))["viewer"]
    assert employer["dossiers"]["edges"] == employer["applications"]["edges"] == []
    assert (employer["dashboard"]["unreadMessages"], employer["dashboard"]["pendingProposals"]) == (
        1,
        0,
    )
    same_parts(employer["dashboard"], await parts_alone(api, busy.employer.token))


async def test_other_pages_of_the_same_lists_are_batched_by_the_loaders(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    reference_data: Any,
) -> None:
    # Given a candidat with three dossiers of three CVs
    busy = await busy_candidat(api, http, smtp)

    # When one document asks for two different pages of the same lists
    await seen(api, busy.candidate.token)
    with counted(server) as statements:
        viewer = (await api(TWO_PAGES, token=busy.candidate.token))["viewer"]

    # Then each page is right
    [small] = [d["node"] for d in viewer["small"]["edges"]]
    assert viewer["small"]["pageInfo"]["hasNextPage"] is True
    assert small["name"] == "DRE1"
    assert [c["node"]["title"] for c in small["cvs"]["edges"]] == ["CV 1.1"]
    assert small["cvs"]["pageInfo"]["hasNextPage"] is True
    large = [d["node"] for d in viewer["large"]["edges"]]
    assert [d["name"] for d in large] == ["DRE1", "DRE2"]
    assert [[c["node"]["title"] for c in d["cvs"]["edges"]] for d in large] == [
        ["CV 1.1", "CV 1.2"],
        ["CV 2.1", "CV 2.2"],
    ]
    # And the compiled path answers it in one statement (issue 12)
    assert len(statements) == 1, statements
    # And on the interpreter the second page costs one statement per list, not one per
    # dossier: the look-ahead batch, the other dossiers page and the other CV pages of both
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as client:
            interpreter = GraphQL(client)
            await seen(interpreter, busy.candidate.token)
            with counted(twin) as statements:
                again = (await interpreter(TWO_PAGES, token=busy.candidate.token))["viewer"]
    assert again == viewer
    assert len(statements) == 3, statements
