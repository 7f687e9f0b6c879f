"""The bounds stay in force on the compiled path: a response over ESPACE_MAX_RESPONSE_BYTES is
refused as the interpreter refuses it, and the document limits refuse before either runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.compiled.support import Twins, reads_of, twin_server
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier

DOSSIERS = """
query ($first: Int) { viewer { dossiers(first: $first) { edges { node {
  id name nom prenom adresse complementAdresse1 complementAdresse2 communeName email
  capabilities { canApplyOnline { allowed reason message } } } } } } }
"""


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"max_response_bytes": 2000, "max_aliases": 3}


@pytest.fixture
async def twins(
    server: LiveServer, http: httpx.AsyncClient, reference_data: Any
) -> AsyncIterator[Twins]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            yield Twins(compiled=http, interpreted=other)


async def test_a_response_too_large_is_refused_alike(
    server: LiveServer, twins: Twins, api: GraphQL
) -> None:
    # Given a candidat with many dossiers,
    candidat = await sign_up_candidate(api)
    for n in range(12):
        await create_dossier(api, candidat.token, name=f"DRE{n}")
    # when a small page fits and a large one does not,
    small = await twins.both(DOSSIERS, {"first": 2}, candidat.token)
    before = reads_of(server).counts["compiled"]
    large = await twins.both(DOSSIERS, {"first": 12}, candidat.token)
    # then both paths answer alike: the small page, then the same refusal.
    assert small[0] == small[1] and small[1][0] == 200
    assert large[0] == large[1]
    assert "RESPONSE_TOO_LARGE" in str(large[1])
    assert reads_of(server).counts["compiled"] == before  # the interpreter refused it


async def test_document_limits_refuse_before_either_path(twins: Twins, api: GraphQL) -> None:
    candidat = await sign_up_candidate(api)
    aliased = "{ a: viewer { id } b: viewer { id } c: viewer { id } d: viewer { id } }"
    interpreted, compiled = await twins.both(aliased, {}, candidat.token)
    assert compiled == interpreted
    assert "errors" in dict(compiled[1])
