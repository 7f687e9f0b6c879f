"""The tableau de bord on both paths: its counts, unread messages, pending proposals and event
log answer alike for accounts of every kind and shape (a last visit, unread messages, a
pending proposal, events of many kinds), pages and cursors included, and the compiled path
answered them (its authorization: ``test_authorization``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bench.queries import FULL_DASHBOARD_BEFORE, VIEWER_DASHBOARD
from tests.compiled.support import Twins, accounts, reads_of, twin_server
from tests.compiled.test_differential import PAGES
from tests.conftest import LiveServer
from tests.dashboard.test_sql import busy_candidat
from tests.support.agencies import adviser_at
from tests.support.client import GraphQL, MailCatcher
from tests.support.dossiers import create_dossier, sign_up_adviser
from tests.support.indemnisation import mutate

DASHBOARD_BEFORE = VIEWER_DASHBOARD.replace("      actions { code message }\n", "")
EVENTS_PAGE = """
query ($first: Int, $after: String) { viewer { dashboard { events(first: $first, after: $after) {
  edges { cursor node { id kind service message occurredAt } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } resumeCursor } } } }
"""
SHAPES = [
    DASHBOARD_BEFORE,
    FULL_DASHBOARD_BEFORE,
    """{ viewer { dashboard { __typename lastVisitAt unreadMessages pendingProposals
      newSinceLastVisit { __typename dossiers account messages proposals applications
        savedOffers alerts cvs letters agenda indemnisation } } } }""",
    """{ viewer { dashboard { events { __typename resumeCursor
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
      edges { __typename cursor node { __typename id kind service occurredAt message payload
        subjectType subjectId cursor } } } } } }""",
    """fragment E on DashboardEvent { id kind message }
    query { viewer { id board: dashboard { ... on Dashboard { n: newSinceLastVisit { cvs cvs2: cvs }
      a: events(first: 1) { edges { node { ...E } } resumeCursor }
      b: events(first: 3, after: "Yzo5OTk5OTk5OTk5") { edges { node { ...E ... on Node { id } } }
        pageInfo { hasPreviousPage } } } } again: dashboard { unreadMessages } } }""",
    "{ viewer { dashboard { events(first: 0) { resumeCursor pageInfo { hasNextPage } } } } }",
    """{ viewer { dossiers { edges { node { cvs { edges { node { title
      completeness { __typename score missing } } } } } } } } }""",
]
START = """
mutation ($input: ConversationStartInput!) {
  conversationStart(input: $input) { conversation { id } userErrors { field code } }
}
"""
VISIT = "mutation { dashboardVisit { dashboard { lastVisitAt } userErrors { code } } }"


@pytest.fixture
async def twins(
    server: LiveServer,
    http: httpx.AsyncClient,
    api: GraphQL,
    smtp: MailCatcher,
    reference_data: Any,
) -> AsyncIterator[Twins]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            tokens = await accounts(server, http, smtp)
            tokens.update(await dashboard_accounts(server, api, http, smtp, tokens))
            yield Twins(compiled=http, interpreted=other, tokens=tokens)


async def dashboard_accounts(
    server: LiveServer,
    api: GraphQL,
    http: httpx.AsyncClient,
    smtp: MailCatcher,
    tokens: dict[str, str | None],
) -> dict[str, str | None]:
    """A candidat with unread messages and a pending proposal, and its employer; an adviser
    of the typical candidat's agency with a question unread, one without an agency; and
    the applicant's visit, with events before and after it."""
    busy = await busy_candidat(api, http, smtp)
    adviser = await adviser_at(server, api, "GUI01")
    typical = tokens["typical"]
    assert typical is not None
    started = await mutate(api, START, typical, kind="ADVISER", body="Bonjour, une question.")
    assert started["userErrors"] == []
    applicant = tokens["applicant"]
    assert applicant is not None
    visited = await api(VISIT, token=applicant)
    assert visited["dashboardVisit"]["userErrors"] == []
    await create_dossier(api, applicant, name="Après la visite")
    return {
        "busy": busy.candidate.token,
        "proposer": busy.employer.token,
        "adviser": adviser,
        "no agency": await sign_up_adviser(server, api),
    }


async def test_the_dashboard_answers_alike(server: LiveServer, twins: Twins) -> None:
    before = reads_of(server).counts["compiled"]
    # Given accounts of every kind and shape, when each dashboard shape runs on both paths,
    for shape, token in twins.tokens.items():
        for document in SHAPES:
            interpreted, compiled = await twins.both(document, {}, token)
            # then both answers are equal: data, nulls, order, cursors.
            assert compiled == interpreted, (shape, document)
            assert "errors" not in dict(compiled[1]), (shape, compiled)
    # And the compiled path answered every one of them.
    assert reads_of(server).counts["compiled"] - before == len(SHAPES) * len(twins.tokens)
    # And the accounts are the shapes meant: unread messages for a candidat, an employer and
    # an adviser of the agency; a pending proposal; counts since the last visit only. (The
    # typical candidat's conversations and proposals are tests/compiled/talk_support.py's:
    # five messages unread, two proposals awaiting an answer; its agency's adviser reads
    # them, and the question asked here.)
    boards = {}
    for shape, token in twins.tokens.items():
        if token is not None:
            boards[shape] = (await twins.both(SHAPES[2], {}, token))[1]
    found = {
        s: dict(dict(dict(dict(b[1])["data"])["viewer"])["dashboard"]) for s, b in boards.items()
    }
    assert {s: (b["unreadMessages"], b["pendingProposals"]) for s, b in found.items()} == {
        "empty": (0, 0),
        "typical": (5, 2),
        "large": (0, 0),
        "deleted": (0, 0),
        "employer": (0, 0),
        "applicant": (0, 0),
        "busy": (1, 1),
        "proposer": (1, 0),
        "adviser": (8, 0),
        "no agency": (0, 0),
    }
    assert found["applicant"]["lastVisitAt"] is not None
    assert dict(found["applicant"]["newSinceLastVisit"])["dossiers"] == 1
    assert dict(found["large"]["newSinceLastVisit"])["dossiers"] == 23
    assert dict(found["typical"]["newSinceLastVisit"])["letters"] >= 4  # and the file's own


async def test_the_events_pages_answer_alike(server: LiveServer, twins: Twins) -> None:
    paged = set()
    for shape, token in twins.tokens.items():
        for variables in PAGES:
            interpreted, compiled = await twins.both(EVENTS_PAGE, variables, token)
            assert compiled == interpreted, (shape, variables)
        # Following endCursor to the oldest event, two at a time,
        after, pages = None, 0
        while token is not None and pages < 60:
            variables = {"first": 2, "after": after}
            before = reads_of(server).counts["compiled"]
            interpreted, compiled = await twins.both(EVENTS_PAGE, variables, token)
            assert compiled == interpreted, (shape, variables)
            assert reads_of(server).counts["compiled"] == before + 1
            events = dict(dict(dict(dict(compiled[1])["data"])["viewer"])["dashboard"])["events"]
            info = dict(dict(events)["pageInfo"])
            if not info["hasNextPage"]:
                break
            after, pages = info["endCursor"], pages + 1
            paged.add(shape)
    # (the accounts with more than two events were followed over several pages)
    assert {"typical", "busy", "applicant", "large"} <= paged
