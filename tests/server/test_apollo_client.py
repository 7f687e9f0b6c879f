"""Apollo Client's persisted-queries link (from npm, tests/node_clients/apq.mjs) against the
live server: the hash alone first, the document once when asked for, then the hash alone,
over POST and with ``useGETForHashedQueries``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import LiveServer

SCRIPT = Path(__file__).resolve().parents[1] / "node_clients" / "apq.mjs"


async def run_apollo(node: str, server: LiveServer, mode: str) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        node,
        str(SCRIPT),
        f"{server.url}/graphql",
        mode,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=SCRIPT.parent,
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    result: dict[str, Any] = orjson.loads(out)
    return result


@pytest.mark.parametrize("mode", ["post", "get"])
async def test_apollo_s_persisted_queries_link_works(
    node: str, server: LiveServer, mode: str
) -> None:
    result = await run_apollo(node, server, mode)
    # both runs of the query get the ten communes of 22200
    names = [c["name"] for c in result["first"]["communes"]]
    assert len(names) == 10 and "Guingamp" in names
    assert result["second"] == result["first"]
    # through the APQ exchanges: hash alone, asked for the document, then the hash alone
    hashed = "GET" if mode == "get" else "POST"
    exchanges = [(e["method"], e["withQuery"], e["withHash"]) for e in result["exchanges"]]
    assert exchanges == [(hashed, False, True), ("POST", True, True), (hashed, False, True)]
    asked = result["exchanges"][0]["body"]["errors"][0]
    assert asked["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert [e["status"] for e in result["exchanges"][1:]] == [200, 200]
