"""Fuzzing helpers: documents generated from the schema itself (hypothesis-graphql), the
data a signed-in candidat has, and the checks every answer must pass.

The generators reach real objects: ``ID`` arguments are drawn from the fixture's global IDs
as often as from random text, and ``String`` arguments from its identifiant, postal code and
offer number as often as from random text (NUL bytes included).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphql
import httpx
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis_graphql import Mode, mutations, nodes, queries

from schema import build_schema
from tests.support.accounts import Candidate, sign_up_candidate
from tests.support.applications import Applicant, add_cv, apply, employer_with_offer
from tests.support.client import GraphQL
from tests.support.dossiers import create_dossier

EXAMPLES_DATABASE = DirectoryBasedExampleDatabase(
    Path(__file__).resolve().parents[2] / ".hypothesis" / "fuzz"
)
"""Failing examples are replayed first on the next run (the folder is gitignored; each real
failure also became an explicit test in tests/hardening/test_fuzz_regressions.py)."""

FORBIDDEN_TEXT = ("sqlite3", "asyncpg", "sqlalchemy", "traceback", "psycopg", 'file "/')
ANSWER_TIMEOUT = 15.0


@dataclass
class FuzzData:
    """What the generated documents may point at."""

    candidate: Candidate | None = None
    ids: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)


async def candidate_with_data(api: GraphQL) -> FuzzData:
    """A candidat with a dossier, a CV and an application to a published offer."""
    employer, offer = await employer_with_offer(api)
    candidate = await sign_up_candidate(api)
    dossier = await create_dossier(api, candidate.token, phoneMobile="0612345678")
    cv_id = await add_cv(api, candidate, dossier["id"], "PUBLISHED")
    application = await apply(api, Applicant(candidate, dossier["id"], cv_id), offer["id"])
    ids = [candidate.viewer_id, dossier["id"], cv_id, offer["id"], application["id"]]
    strings = [candidate.identifiant, candidate.postal_code, offer["number"], employer.email]
    return FuzzData(candidate=candidate, ids=ids, strings=strings)


def scalars(data: FuzzData) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Value strategies for ``ID``, ``String`` and the custom scalars."""
    text = st.text(max_size=30)
    known_ids = st.sampled_from([*data.ids, "RG9zc2llcjox", "NIL"])
    known_strings = st.sampled_from([*data.strings, "22200", "D1102", "", "NIL"])
    return {
        "ID": st.one_of(known_ids, text).map(nodes.String),
        "String": st.one_of(known_strings, text).map(nodes.String),
        "Date": st.one_of(st.dates(dt.date(1800, 1, 1)), text).map(nodes.String),
        "DateTime": st.one_of(st.datetimes(timezones=st.just(dt.UTC)), text).map(nodes.String),
        "JSON": st.one_of(text.map(nodes.String), st.integers(-5, 5).map(nodes.Int)),
        "Upload": st.just(graphql.NullValueNode()),
    }


def root_fields(kind: str, with_required_arguments: bool = False) -> list[str]:
    schema = _graphql_schema()
    root = schema.query_type if kind == "query" else schema.mutation_type
    assert root is not None
    return sorted(
        name
        for name, f in root.fields.items()
        if not with_required_arguments
        or any(isinstance(a.type, graphql.GraphQLNonNull) for a in f.args.values())
    )


def documents(kind: str, data: FuzzData) -> st.SearchStrategy[str]:
    """Documents of one to three root fields of ``kind`` ("query" or "mutation"), or, one
    time in four, of one field with required arguments whose document breaks the schema once
    (hypothesis-graphql's negative mode: the refusals are fuzzed too)."""
    schema = _graphql_schema()
    make = queries if kind == "query" else mutations
    custom = scalars(data)
    valid = st.lists(
        st.sampled_from(root_fields(kind)), min_size=1, max_size=3, unique=True
    ).flatmap(lambda fields: make(schema, fields=fields, custom_scalars=custom))
    # Built-in scalars keep their own generators here: they are what the mode violates.
    own = {k: v for k, v in custom.items() if k not in ("ID", "String")}
    invalid = st.sampled_from(root_fields(kind, with_required_arguments=True)).flatmap(
        lambda name: make(schema, fields=[name], custom_scalars=own, mode=Mode.NEGATIVE)
    )
    return st.one_of(valid, valid, valid, invalid)


_SCHEMA: list[graphql.GraphQLSchema] = []


def _graphql_schema() -> graphql.GraphQLSchema:
    if not _SCHEMA:
        from ground.settings import Settings

        settings = Settings(debug=True, database_url="sqlite+aiosqlite:///:memory:")
        _SCHEMA.append(build_schema(settings)._schema)
    return _SCHEMA[0]


async def send(http: httpx.AsyncClient, document: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await http.post(
        "/graphql", json={"query": document}, headers=headers, timeout=ANSWER_TIMEOUT
    )


def check_answer(document: str, response: httpx.Response, logs: list[logging.LogRecord]) -> None:
    """No 5xx, no INTERNAL_SERVER_ERROR, no driver or exception text."""
    where = f"\n--- document:\n{document}\n--- answer {response.status_code}:\n{response.text}"
    logged = "\n".join(
        f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}" for r in logs if r.exc_info or r.exc_text
    )
    assert response.status_code < 500, where + "\n--- server log:\n" + logged
    body: dict[str, Any] = response.json()
    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
    assert "INTERNAL_SERVER_ERROR" not in codes, where + "\n--- server log:\n" + logged
    assert all(codes), where
    lowered = response.text.lower()
    assert not [w for w in FORBIDDEN_TEXT if w in lowered], where
