"""The unemployment file's lists on both paths: « Mes courriers » and the attestations
answer alike for accounts of every shape, pages, cursors and ``unreadOnly``, and the
compiled path answered them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.compiled.support import Twins, accounts, query_operations, reads_of, twin_server
from tests.compiled.test_differential import PAGES, follow_pages
from tests.conftest import LiveServer
from tests.support.client import MailCatcher

OPERATIONS = dict(query_operations())
MY_LETTERS = OPERATIONS["MyLetters"]
MY_ATTESTATIONS = OPERATIONS["MyAttestations"]

FILE_COUNTS = "{ viewer { attestations { totalCount } actualisations { totalCount } } }"
# The compiled subset of Actualisations (periodLabel and registeredSentence need Python).
MY_ACTUALISATIONS = """
query ($first: Int = 12, $after: String) { viewer { actualisations(first: $first, after: $after) {
  edges { node { id period number version firstSubmittedAt submittedAt receiptUrl } }
  pageInfo { hasNextPage endCursor } } } }
"""

SHAPES = [
    FILE_COUNTS,
    MY_ACTUALISATIONS,
    """{ viewer { actualisations(first: 1) { totalCount __typename
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { __typename id period receiptUrl } } } } }""",
    """query { viewer { letters(unreadOnly: true) { unreadCount totalCount __typename
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { __typename id kind title issuedAt read readAt downloadUrl } } } } }""",
    """query { viewer { a: letters(first: 1) { unreadCount edges { node { id read } } }
      b: letters(first: 2, after: "Yzo5OTk5OTk5OTk5", unreadOnly: false) {
        totalCount pageInfo { hasPreviousPage endCursor } edges { node { kind } } } } }""",
    """query { viewer { attestations(first: 1) { totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id kind title code issuedAt statement downloadUrl
        verificationUrl } } } } }""",
]


@pytest.fixture
async def twins(
    server: LiveServer, http: httpx.AsyncClient, smtp: MailCatcher, reference_data: Any
) -> AsyncIterator[Twins]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            tokens = await accounts(server, http, smtp)
            yield Twins(compiled=http, interpreted=other, tokens=tokens)


async def test_letters_and_attestations_answer_alike(server: LiveServer, twins: Twins) -> None:
    before = reads_of(server).counts["compiled"]
    asked = 0
    for shape, token in twins.tokens.items():
        for document in SHAPES:
            interpreted, compiled = await twins.both(document, {}, token)
            assert compiled == interpreted, (shape, document)
            asked += 1
        for name, document in (("MyLetters", MY_LETTERS), ("MyAttestations", MY_ATTESTATIONS)):
            interpreted, compiled = await twins.both(document, {}, token, name)
            assert compiled == interpreted, (shape, name)
            asked += 1
        for variables in ({"unreadOnly": True}, {"unreadOnly": True, "first": 1}):
            interpreted, compiled = await twins.both(MY_LETTERS, variables, token, "MyLetters")
            assert compiled == interpreted, (shape, variables)
            asked += 1
    # Every one of them was answered by the compiled path.
    assert reads_of(server).counts["compiled"] - before == asked


async def test_file_pages_and_cursors_answer_alike(twins: Twins) -> None:
    for shape, token in twins.tokens.items():
        for name, document in (("MyLetters", MY_LETTERS), ("MyAttestations", MY_ATTESTATIONS)):
            for variables in [*PAGES, {"unreadOnly": None}, {"unreadOnly": "oui"}]:
                interpreted, compiled = await twins.both(document, variables, token, name)
                assert compiled == interpreted, (shape, name, variables)
        for variables in PAGES:
            interpreted, compiled = await twins.both(MY_ACTUALISATIONS, variables, token)
            assert compiled == interpreted, (shape, variables)
        await follow_pages(twins, MY_LETTERS, "letters", token, "MyLetters")
        await follow_pages(twins, MY_ATTESTATIONS, "attestations", token, "MyAttestations")


async def test_the_typical_file_is_there(twins: Twins) -> None:
    # The typical account's letters: the sick leave's request for documents (oldest), then
    # four from the adviser, the middle two read; on both paths alike.
    interpreted, compiled = await twins.both(MY_LETTERS, {}, twins.tokens["typical"], "MyLetters")
    assert compiled == interpreted
    letters = dict(dict(dict(dict(compiled[1])["data"])["viewer"])["letters"])
    assert letters["unreadCount"] == 3 and len(letters["edges"]) == 5
    reads = [dict(dict(e)["node"])["read"] for e in letters["edges"]]
    assert reads == [False, True, True, False, False]
    # Its two attestations and its declaration.
    interpreted, compiled = await twins.both(FILE_COUNTS, {}, twins.tokens["typical"])
    assert compiled == interpreted
    viewer = dict(dict(dict(compiled[1])["data"])["viewer"])
    assert dict(viewer["attestations"])["totalCount"] == 2
    assert dict(viewer["actualisations"])["totalCount"] == 1
