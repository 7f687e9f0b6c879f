"""Resolvers of one request run concurrently on its shared read session: no document may
end in INTERNAL_SERVER_ERROR because two of them used the session at once, and an
unexpected error never reaches a client verbatim."""

from __future__ import annotations

import inspect
import sqlite3
from typing import Any

import pytest
from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import ExecutionResult

from espace.responses import format_result
from ground.db import SERIALISED, ReadSession
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier

DASHBOARD_VISIT = """
mutation { dashboardVisit(input: {note: ""}) {
  dashboard { pendingProposals unreadMessages } } }"""

OFFER_AND_SECRET_QUESTION = """
{ offer(number: "XXXXXXX") { id }
  secretQuestion(identifiant: "1234567H", postalCode: "22200") }"""

SIBLINGS = """
{ viewer { id
  dashboard { pendingProposals unreadMessages }
  dossiers(first: 5) { edges { node { id } } } }
  offer(number: "XXXXXXX") { id }
  secretQuestion(identifiant: "1234567H", postalCode: "22200") }"""

DRIVER_WORDS = ("sqlite", "asyncpg", "sqlalchemy", "traceback", "concurrent operations")


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"debug": False}  # errors masked as in production


def assert_clean(body: dict[str, Any]) -> None:
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
    assert "INTERNAL_SERVER_ERROR" not in codes, body
    text = str(body).lower()
    assert not any(word in text for word in DRIVER_WORDS), body


async def test_dashboard_visit_reads_its_counts_concurrently(api: GraphQL) -> None:
    # Given a signed-in candidat with a dossier
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token)

    # When the visit's payload asks for two counts, resolved side by side, many times over
    for _ in range(5):
        body = await api.raw(DASHBOARD_VISIT, token=candidate.token)

        # Then both come back
        assert_clean(body)
        assert body["data"]["dashboardVisit"]["dashboard"] == {
            "pendingProposals": 0,
            "unreadMessages": 0,
        }


async def test_anonymous_offer_and_secret_question_side_by_side(api: GraphQL) -> None:
    for _ in range(5):
        body = await api.raw(OFFER_AND_SECRET_QUESTION)
        assert_clean(body)
        assert body["data"]["offer"] is None


async def test_signed_in_siblings_share_the_session(api: GraphQL) -> None:
    candidate = await sign_up_candidate(api)
    await create_dossier(api, candidate.token)
    for _ in range(5):
        body = await api.raw(SIBLINGS, token=candidate.token)
        assert_clean(body)
        assert len(body["data"]["viewer"]["dossiers"]["edges"]) == 1


def test_an_error_escaping_execution_is_masked() -> None:
    # Given what Strawberry builds when an exception escapes the operation (closing the
    # read session, say): a bare error with the driver's text and no path
    exc = sqlite3.ProgrammingError("Cannot operate on a closed database.")
    result = ExecutionResult(data=None, errors=[GraphQLError(str(exc), original_error=exc)])

    # Then the client sees the internal error, in French, with no driver text
    [error] = format_result(result)["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["message"] == "Erreur interne du serveur."


def test_debug_shows_the_error() -> None:
    exc = sqlite3.ProgrammingError("Cannot operate on a closed database.")
    result = ExecutionResult(data=None, errors=[GraphQLError(str(exc), original_error=exc)])
    [error] = format_result(result, mask=False)["errors"]
    assert "closed database" in error["message"]


def test_every_session_operation_takes_its_turn() -> None:
    # A SQLAlchemy upgrade that adds an operation must not leave a path unserialised: every
    # coroutine method of AsyncSession is wrapped, or goes through one that is.
    through_others = {"__aenter__", "__aexit__", "aclose", "close_all"}
    operations = {
        name for name, f in inspect.getmembers(AsyncSession) if inspect.iscoroutinefunction(f)
    }
    assert operations - through_others <= set(SERIALISED)
    for name in SERIALISED:
        assert getattr(ReadSession, name) is not getattr(AsyncSession, name), name
