"""The two paths side by side: the test's server answers with compiled reads on, a twin
server on the same database with them off (the interpreter), and accounts of every shape."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from graphql import OperationDefinitionNode, OperationType, parse

from schema.core.compiled.reads import CompiledReads
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier

OPERATIONS = Path(__file__).resolve().parents[2] / "graphql" / "operations"

DOSSIER_DELETE = """
mutation ($id: ID!) { dossierDelete(input: { id: $id }) { deletedDossierId userErrors { code } } }
"""


def query_operations() -> list[tuple[str, str]]:
    """(operation name, document) of every example query."""
    found = []
    for path in sorted(OPERATIONS.glob("*.graphql")):
        text = path.read_text()
        for definition in parse(text).definitions:
            if (
                isinstance(definition, OperationDefinitionNode)
                and definition.operation == OperationType.QUERY
                and definition.name is not None
            ):
                found.append((definition.name.value, text))
    return found


def reads_of(server: LiveServer) -> CompiledReads:
    """The compiled path of a server's schema (its counts show which path answered)."""
    reads: CompiledReads = server.app.state.schema.compiled_reads
    return reads


@dataclass
class Twins:
    """The same request to both paths."""

    compiled: httpx.AsyncClient
    interpreted: httpx.AsyncClient
    tokens: dict[str, str | None] = field(default_factory=dict)

    async def both(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        operation: str | None = None,
    ) -> tuple[Any, Any]:
        """Both answers, as ordered key/value lists (so that key order is compared too)."""
        body = {"query": query, "variables": variables or {}, "operationName": operation}
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answers = []
        for client in (self.interpreted, self.compiled):
            response = await client.post("/graphql", json=body, headers=headers)
            answers.append((response.status_code, ordered(orjson.loads(response.content))))
        return answers[0], answers[1]


def ordered(value: Any) -> Any:
    """A JSON value with every object as a list of pairs: equality then checks key order."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


async def twin_server(server: LiveServer, reference_data: Any) -> AsyncIterator[LiveServer]:
    twin = LiveServer(
        server.settings.model_copy(update={"compiled_reads": False}), 0, reference_data
    )
    await twin.start()
    try:
        yield twin
    finally:
        await twin.stop()


async def accounts(api: GraphQL) -> dict[str, str | None]:
    """Tokens of accounts of every shape (None: not signed in)."""
    empty = await sign_up_candidate(api)
    typical = await sign_up_candidate(api, email=None)
    await create_dossier(api, typical.token)
    await create_dossier(
        api,
        typical.token,
        name="DRE2",
        phoneMobile=None,
        phoneFixe="+32 2 512 34 56",
        email="annaig.dre2@example.org",  # unconfirmed
        communeInsee=None,
        pays="BELGIQUE",
        postalCode="1000",
        communeName="Bruxelles",
        civilite="MONSIEUR",
        qualification="CADRE",
    )
    await create_dossier(api, typical.token, name="DRE3", phoneMobile=None, email=None)
    large = await sign_up_candidate(api)
    for n in range(1, 24):
        await create_dossier(api, large.token, name=f"DRE{n}", nom=f"Nom {n}")
    deleted = await sign_up_candidate(api)
    made = [await create_dossier(api, deleted.token, name=f"DRE{n}") for n in range(1, 4)]
    data = await api(DOSSIER_DELETE, {"id": made[1]["id"]}, token=deleted.token)
    assert data["dossierDelete"]["userErrors"] == []
    employer = await sign_up_employer(api)
    return {
        "anonymous": None,
        "empty": empty.token,
        "typical": typical.token,
        "large": large.token,
        "deleted": deleted.token,
        "employer": employer.token,
    }
