"""Generated documents of the compiled subset answer alike on both paths."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from schema import COMPILED_TABLES
from tests.compiled.generated import compiled_subset, generated_documents
from tests.compiled.support import Twins, accounts, reads_of, twin_server
from tests.conftest import LiveServer
from tests.support.client import MailCatcher

EXAMPLES = 40


@pytest.fixture
async def twins(
    server: LiveServer, http: httpx.AsyncClient, smtp: MailCatcher, reference_data: Any
) -> AsyncIterator[Twins]:
    async for twin in twin_server(server, reference_data):
        async with httpx.AsyncClient(base_url=twin.url, timeout=30) as other:
            tokens = await accounts(server, http, smtp)
            yield Twins(compiled=http, interpreted=other, tokens=tokens)


async def test_generated_documents_answer_alike(server: LiveServer, twins: Twins) -> None:
    # Given documents generated from the compiled subset of the schema,
    schema = server.app.state.schema._schema
    subset = compiled_subset(schema, COMPILED_TABLES)
    documents = generated_documents(subset, EXAMPLES)
    assert len(documents) >= EXAMPLES // 2
    before = reads_of(server).counts["compiled"]
    # when each runs through both paths for three kinds of viewer,
    for shape in ("typical", "employer", "anonymous"):
        token = twins.tokens[shape]
        for document in documents:
            interpreted, compiled = await twins.both(document, {}, token)
            # then the answers are equal,
            assert compiled == interpreted, (shape, document)
    # and most of them were compiled (the others had a bad page size: the interpreter's error).
    assert reads_of(server).counts["compiled"] - before >= len(documents)
