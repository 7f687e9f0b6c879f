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

from ground.session_cache import CHANNEL
from schema.core.compiled.reads import CompiledReads
from tests.compiled.file_support import unemployment_file
from tests.compiled.talk_support import talk_of
from tests.conftest import LiveServer
from tests.support.accounts import sign_up_candidate, sign_up_employer
from tests.support.agencies import registered_candidate, two_agencies
from tests.support.alerts import create_alert
from tests.support.applications import applicant, apply, employer_with_offer, withdraw
from tests.support.client import GraphQL, MailCatcher
from tests.support.cvs import create_cv, publish_cv
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
        # As processes sharing Redis would: a sign-out on one drops the other's cached check.
        async with (
            server.runtime.broker.subscribe(
                CHANNEL, listener=twin.runtime.session_cache.on_message
            ),
            twin.runtime.broker.subscribe(
                CHANNEL, listener=server.runtime.session_cache.on_message
            ),
        ):
            yield twin
    finally:
        await twin.stop()


async def accounts(
    server: LiveServer, http: httpx.AsyncClient, smtp: MailCatcher
) -> dict[str, str | None]:
    """Tokens of accounts of every shape (None: not signed in)."""
    api = GraphQL(http)
    empty = await sign_up_candidate(api)
    agencies = await two_agencies(server, api)
    # Registered at an agency, its first dossier's e-mail confirmed; then two more dossiers.
    typical = await registered_candidate(
        api, http, smtp, agencies["GUI01"], "annaig.dre1@example.org"
    )
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
    await lists_of(api, typical.token)
    await unemployment_file(server, api, http, typical)
    await talk_of(server, api, typical)  # conversations and proposals
    large = await sign_up_candidate(api)
    for n in range(1, 24):
        await create_dossier(api, large.token, name=f"DRE{n}", nom=f"Nom {n}")
    deleted = await sign_up_candidate(api)
    made = [await create_dossier(api, deleted.token, name=f"DRE{n}") for n in range(1, 4)]
    data = await api(DOSSIER_DELETE, {"id": made[1]["id"]}, token=deleted.token)
    assert data["dossierDelete"]["userErrors"] == []
    employer = await sign_up_employer(api)
    applying = await applicant(server, api)
    sent, offers = [], []
    for n in range(4):
        _employer, offer = await employer_with_offer(api, intitule=f"Boulanger {n}")
        offers.append(offer["id"])
        sent.append(await apply(api, applying, offer["id"]))
    assert (await withdraw(api, applying.candidate.token, sent[1]["id"]))["userErrors"] == []
    for n, offer_id in enumerate(offers):
        data = await api(CLASSEUR_SAVE, {"offerId": offer_id}, token=applying.candidate.token)
        assert data["classeurSave"]["userErrors"] == []
        if n == 2:
            data = await api(CLASSEUR_REMOVE, {"offerId": offer_id}, token=applying.candidate.token)
            assert data["classeurRemove"]["userErrors"] == []
    return {
        "anonymous": None,
        "empty": empty.token,
        "typical": typical.token,
        "large": large.token,
        "deleted": deleted.token,
        "employer": employer.token,
        "applicant": applying.candidate.token,
    }


DOSSIER_IDS = "{ viewer { dossiers { edges { node { id } } } } }"
SAVED_SEARCH_CREATE = """
mutation ($dossierId: ID!, $name: String!) {
  savedSearchCreate(input: { dossierId: $dossierId, name: $name,
                             criteria: { keywords: "boulanger" } }) {
    savedSearch { id } userErrors { code }
  }
}
"""
SAVED_SEARCH_DELETE = """
mutation ($id: ID!) { savedSearchDelete(input: { id: $id }) { userErrors { code } } }
"""
CV_DELETE = "mutation ($id: ID!) { cvDelete(input: { id: $id }) { userErrors { code } } }"
CLASSEUR_SAVE = """
mutation ($offerId: ID!) { classeurSave(input: { offerId: $offerId }) { userErrors { code } } }
"""
CLASSEUR_REMOVE = """
mutation ($offerId: ID!) { classeurRemove(input: { offerId: $offerId }) { userErrors { code } } }
"""
ALERT_DELETE = "mutation ($id: ID!) { alertDelete(input: { id: $id }) { userErrors { code } } }"


async def lists_of(api: GraphQL, token: str) -> None:
    """Alerts (on the confirmed dossier) and saved searches (on two dossiers), one of each
    deleted."""
    data = await api(DOSSIER_IDS, token=token)
    first, second = [e["node"]["id"] for e in data["viewer"]["dossiers"]["edges"]][:2]
    alerts = [
        await create_alert(api, token, first, name=f"Alerte {n}", frequency=frequency)
        for n, frequency in enumerate(("INSTANT", "DAILY", "WEEKLY"))
    ]
    data = await api(ALERT_DELETE, {"id": alerts[1]["id"]}, token=token)
    assert data["alertDelete"]["userErrors"] == []
    searches = []
    for dossier, count in ((first, 3), (second, 2)):
        for n in range(count):
            variables = {"dossierId": dossier, "name": f"Recherche {n}"}
            found = await api(SAVED_SEARCH_CREATE, variables, token=token)
            assert found["savedSearchCreate"]["userErrors"] == []
            searches.append(found["savedSearchCreate"]["savedSearch"]["id"])
    data = await api(SAVED_SEARCH_DELETE, {"id": searches[1]}, token=token)
    assert data["savedSearchDelete"]["userErrors"] == []
    cvs = [await create_cv(api, token, first, title=f"CV {n}") for n in range(3)]
    await publish_cv(api, token, cvs[0]["id"], "PUBLISHED")
    await create_cv(api, token, second, title="CV du second dossier")
    data = await api(CV_DELETE, {"id": cvs[1]["id"]}, token=token)
    assert data["cvDelete"]["userErrors"] == []
