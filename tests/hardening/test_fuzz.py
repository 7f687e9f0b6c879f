"""Fuzzing: documents generated from the schema for every root query and mutation field,
sent over HTTP anonymously and signed in as a candidat with data, on each backend.

Every answer comes in time, without 5xx, INTERNAL_SERVER_ERROR, driver or exception text.
The run is bounded (``EXAMPLES`` per test) so that the suite stays fast; failing examples
are kept in the hypothesis database and replayed first.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LiveServer
from tests.support.client import GraphQL
from tests.support.fuzz import (
    EXAMPLES_DATABASE,
    FuzzData,
    candidate_with_data,
    check_answer,
    documents,
    send,
)

EXAMPLES = int(os.environ.get("ESPACE_FUZZ_EXAMPLES", "50"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # each request has its own client timeout (tests.support.fuzz)
    database=EXAMPLES_DATABASE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=False,
    print_blob=True,
)

REVOKING = ("sessionRevoke", "passwordChange", "passwordReset")


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # As in production: errors masked, no suggestions. Sign-in limits stay out of the way.
    return {"debug": False, "login_client_limit": "1000/minute", "login_global_limit": ""}


@pytest.fixture
async def fuzz_data(api: GraphQL) -> FuzzData:
    return await candidate_with_data(api)


class Fuzzer:
    """Sends one generated document, re-signing in when it ended the candidat's session."""

    def __init__(self, api: GraphQL, data: FuzzData, signed_in: bool) -> None:
        self.api = api
        self.data = data
        self.token = data.candidate.token if signed_in and data.candidate else None

    async def run(self, document: str, caplog: pytest.LogCaptureFixture) -> None:
        caplog.clear()
        try:
            response = await send(self.api.http, document, self.token)
        except httpx.TimeoutException as exc:
            raise AssertionError(f"no answer in time to:\n{document}") from exc
        check_answer(document, response, caplog.records)
        if self.token and any(word in document for word in REVOKING):
            await self._sign_in_again()

    async def _sign_in_again(self) -> None:
        from tests.support.accounts import sign_in_candidate

        candidate = self.data.candidate
        assert candidate is not None
        session = await sign_in_candidate(
            self.api, candidate.identifiant, candidate.password, candidate.postal_code
        )
        if session["token"]:
            self.token = candidate.token = session["token"]


@pytest.mark.parametrize("kind", ["query", "mutation"])
@pytest.mark.parametrize("signed_in", [True, False], ids=["candidat", "anonymous"])
@FUZZ
@given(draw=st.data())
async def test_generated_documents_never_fail_the_server(
    server: LiveServer,
    api: GraphQL,
    fuzz_data: FuzzData,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    signed_in: bool,
    draw: st.DataObject,
) -> None:
    caplog.set_level(logging.ERROR)
    document = draw.draw(documents(kind, fuzz_data), label="document")
    await Fuzzer(api, fuzz_data, signed_in).run(document, caplog)
