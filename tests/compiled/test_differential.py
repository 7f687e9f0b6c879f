"""The compiled path answers exactly as the interpreter: every example query, for accounts
of every shape, with page arguments good and bad, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bench.queries import FULL_DASHBOARD, VIEWER_DOSSIERS
from tests.compiled.support import Twins, accounts, query_operations, reads_of, twin_server
from tests.conftest import LiveServer
from tests.support.client import MailCatcher

MY_DOSSIERS = next(text for name, text in query_operations() if name == "MyDossiers")
# The compiled subset of MyApplications (its cv, dossier and history need the interpreter).
MY_APPLICATIONS = """
query ($first: Int = 20, $after: String) {
  viewer { applications(first: $first, after: $after) {
    edges { node { id status message submittedAt updatedAt offer { id number intitule } } }
    pageInfo { hasNextPage endCursor } } }
}
"""

# The compiled subset in many shapes: aliases, fragments, __typename, totalCount, pageInfo.
SHAPES = [
    VIEWER_DOSSIERS,
    "{ viewer { __typename id kind identifiant email displayName postalCode } }",
    "{ __typename me: viewer { id } again: viewer { kind } }",
    """query { viewer { dossiers { totalCount pageInfo { hasNextPage hasPreviousPage
      startCursor endCursor __typename } edges { cursor __typename } __typename } } }""",
    """fragment D on Dossier { id name pays civilite situation qualification birthDate
      complementAdresse1 complementAdresse2 communeName acheminement inscritPoleEmploi
      identifiantPoleEmploi phoneFixe { e164 national international }
      commune { inseeCode name postalCode libelleAcheminement latitude longitude
        departement { code name } region { code name } }
      agency { id code name address postalCode } }
    query { viewer { ... on Viewer { dossiers(first: 30) { edges { node { ...D
      capabilities { canApplyOnline { allowed reason message }
        canSubscribeToOffers { __typename allowed reason message } } } } } } } }""",
    """query { viewer { ... on Node { id } dossiers(first: 2) { edges { node { id }
      node2: node { name } } } } }""",
    """{ viewer { dossiers(first: 5) { edges { node { id createdAt updatedAt emailConfirmedAt
      email emailConfirmed } } } } }""",
    """query { viewer { dossiers { edges { node { name
      alerts(first: 2) { totalCount pageInfo { hasNextPage endCursor startCursor }
        edges { cursor node { id name frequency status email createdAt updatedAt lastSentAt
          dossierId } } }
      savedSearches { totalCount pageInfo { hasNextPage hasPreviousPage }
        edges { node { id name createdAt updatedAt dossierId __typename } } } } } } } }""",
    """query { viewer { dossiers(first: 2) { edges { node {
      a: alerts(first: 1, after: "Yzow") { edges { node { name } } pageInfo { hasPreviousPage } }
      s: savedSearches(first: 0) { totalCount pageInfo { hasNextPage } } } } } } }""",
    """query { viewer { dossiers { edges { node { id cvs(first: 5) { totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id title visibility summary publishedAt createdAt updatedAt
        __typename } } } } } } } }""",
    """query { viewer { applications(first: 3) { totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id status message submittedAt updatedAt
        offer { id number status intitule } } } } } }""",
    """query { viewer { applications(first: 2, after: "Yzo5OTk5OTk5OTk5") {
      edges { node { status } } pageInfo { hasPreviousPage } } } }""",
    """query { viewer { classeur(first: 2) { totalCount __typename
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { savedAt offer { id number status intitule } __typename } } } } }""",
    FULL_DASHBOARD,  # not compiled (dashboard, CVs, applications): the interpreter answers
]

PAGES: list[dict[str, Any]] = [
    {},
    {"first": 0},
    {"first": 1},
    {"first": 2},
    {"first": 100},
    {"first": 101},  # BAD_PAGE_SIZE
    {"first": -1},
    {"after": "not-a-cursor"},  # BAD_CURSOR
    {"first": 1, "after": "Yzo5OTk5OTk5OTk5OTk5OTk5OTk5OQ"},  # c:99…9, past 2^63
    {"first": 1, "after": "Yzow"},  # c:0
    {"first": 2, "after": "Yzo5OTk5OTk5OTk5"},  # past every id
    {"first": "2"},  # a variable of the wrong type
]


@pytest.fixture
async def twins(
    server: LiveServer, http: httpx.AsyncClient, smtp: MailCatcher, reference_data: Any
) -> AsyncIterator[Twins]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            tokens = await accounts(server, http, smtp)
            yield Twins(compiled=http, interpreted=other, tokens=tokens)


async def test_every_example_query_answers_alike(server: LiveServer, twins: Twins) -> None:
    # Given accounts of every shape, when each example query runs through both paths,
    for shape, token in twins.tokens.items():
        for name, document in query_operations():
            interpreted, compiled = await twins.both(document, {}, token, name)
            # then both answers are equal: data, errors, nulls, order.
            assert compiled == interpreted, (shape, name)
    # and the compiled path answered the ones it covers.
    assert reads_of(server).counts["compiled"] >= 2 * len(twins.tokens)


async def test_pages_and_cursors_answer_alike(server: LiveServer, twins: Twins) -> None:
    for shape, token in twins.tokens.items():
        for document, field in ((MY_DOSSIERS, "dossiers"), (MY_APPLICATIONS, "applications")):
            for variables in PAGES:
                interpreted, compiled = await twins.both(document, variables, token)
                assert compiled == interpreted, (shape, variables)
            await follow_pages(twins, document, field, token)


async def follow_pages(
    twins: Twins, document: str, field: str, token: str | None, operation: str | None = None
) -> None:
    """Following endCursor to the end of the list, page by page, on both paths."""
    after = None
    for _ in range(30):
        variables = {"first": 3 if field == "dossiers" else 1, "after": after}
        interpreted, compiled = await twins.both(document, variables, token, operation)
        assert compiled == interpreted, (field, variables)
        viewer = dict(dict(dict(compiled[1])["data"])["viewer"] or [])
        if not viewer:
            return
        info = dict(dict(dict(viewer[field])["pageInfo"]))
        if not info["hasNextPage"]:
            return
        after = info["endCursor"]


async def test_shapes_answer_alike(server: LiveServer, twins: Twins) -> None:
    before = reads_of(server).counts["compiled"]
    for shape, token in twins.tokens.items():
        for document in SHAPES:
            interpreted, compiled = await twins.both(document, {}, token)
            assert compiled == interpreted, (shape, document)
    # Every shape was compiled (the full dashboard too), for every account.
    assert reads_of(server).counts["compiled"] - before == len(SHAPES) * len(twins.tokens)
