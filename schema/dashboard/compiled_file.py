"""How « Mon dossier de demandeur d'emploi » and « Mes actions » map to the compiled reads
(``schema.core.compiled``): ``FILE_FIELDS`` of the ``Dashboard`` object, embedded in the
viewer's row.

One truth with the interpreter: the facts are the interpreter's own SQL
(``resolvers.dashboard.file_parts``: the windows around now, the unread letters, what is due;
the one-row entities; ``resolvers.dashboard.actions``: the dossiers' contacts), carried as
one JSON object per field of the same statement; the post-pass then builds the GraphQL
values with the interpreter's Python (``read_file``, ``DashboardUnemploymentFile.of``,
``actions_for``). The instant is the runtime's clock (tests drive it), read once per
request: bound for the SQL and returned by it, so that both sides use the same one.

The dashboard is the viewer's own: like the interpreter's statement, the facts are filtered
on the signed-in account (``account_id``, the compiled root's own parameter).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Select, String, bindparam, null

from models.identity import AccountKind
from resolvers.agenda.manage import change_notice
from resolvers.dashboard.actions import actions_for, dossier_contacts_column, read_contacts
from resolvers.dashboard.file_parts import (
    ENTITIES,
    ENTITY_MODELS,
    SCALARS,
    FileSummary,
    file_params,
    one_row_parts,
    read_file,
    scalar_columns,
)
from schema.core.compiled.declare import Computed, FieldMap, Row
from schema.core.compiled.rows import decoder, encode, row_from, row_json
from schema.core.compiled.sqljson import JsonSql, Sql
from schema.dashboard.file_section import DashboardAction, DashboardUnemploymentFile

ACCOUNT = bindparam("account_id", type_=BigInteger)  # the compiled reads' viewer
NOW = "file_now_text"
PARTS = (*ENTITIES, "first_to_confirm")  # the one-row parts, as ``one_row_parts`` orders them
# The facts only the section reads (DashboardUnemploymentFile.of), and only « Mes actions »
# (file_actions); each field's facts leave the other's null, and the differential test
# (tests/compiled/test_dashboard_file.py) is there to catch either reading more.
SECTION_ONLY = frozenset(
    {"unread_letters", "last_actualisation", "last_payment", "next_appointment"}
)
ACTIONS_ONLY = frozenset(
    {
        "to_confirm",
        "refused_docs",
        "refused_doc_id",
        "refused_doc_code",
        "request_letter_id",
        "request_letter_at",
        "last_doc_at",
        "first_to_confirm",
    }
)
SCALAR_DECODERS = [(c.name, decoder(c.type)) for c in scalar_columns(ACCOUNT)]
assert tuple(n for n, _ in SCALAR_DECODERS) == SCALARS  # read_file's order


def clock(runtime: Any) -> dict[str, Any]:
    """The file's bound values at the runtime's instant, as the interpreter's ``file_ask``."""
    now = runtime.clock.now()
    return {**file_params(now, change_notice(runtime)), NOW: now.isoformat()}


def facts(json: JsonSql, *, actions: bool) -> Sql:
    """One JSON object: the file's scalar columns and one-row entities the section (or, with
    ``actions``, « Mes actions ») reads, the others null; for the actions, the dossiers'
    contacts too."""
    left_out = SECTION_ONLY if actions else ACTIONS_ONLY
    pairs: list[tuple[str, Sql]] = []
    for column in scalar_columns(ACCOUNT):
        skip = column.name in left_out
        pairs.append((column.name, null() if skip else encode(json, column.element)))
    for name, part, model in zip(PARTS, one_row_parts(ACCOUNT), ENTITY_MODELS, strict=True):
        rows = cast(Select[Any], part.element)  # one_row_parts' ``select(model)…``
        pairs.append((name, null() if name in left_out else row_json(json, model, rows)))
    if actions:
        pairs.append(("dossier_contacts", dossier_contacts_column(ACCOUNT).element))
    return json.obj(pairs)


def summary(now_text: str, found: dict[str, Any]) -> tuple[FileSummary, datetime]:
    """The interpreter's ``FileSummary`` from the facts, and the instant they were read at."""
    now = datetime.fromisoformat(now_text)
    scalars = [None if found[n] is None else made(found[n]) for n, made in SCALAR_DECODERS]
    entities = [row_from(m, found[n]) for n, m in zip(PARTS, ENTITY_MODELS, strict=True)]
    return read_file(scalars, entities, now), now


def unemployment_file(
    _runtime: Any, kind: str, now_text: str, found: dict[str, Any]
) -> DashboardUnemploymentFile | None:
    if kind != AccountKind.CANDIDAT:
        return None
    file, now = summary(now_text, found)
    return DashboardUnemploymentFile.of(file, now)


def actions(_runtime: Any, kind: str, now_text: str, found: dict[str, Any]) -> list[Any]:
    if kind != AccountKind.CANDIDAT:
        return []
    file, _now = summary(now_text, found)
    contacts = read_contacts(found["dossier_contacts"])
    return [DashboardAction.of(a) for a in actions_for(kind, contacts, file)]


def _args(actions: bool) -> Any:
    def made(row: Row, json: JsonSql) -> list[Sql]:
        return [bindparam(NOW, type_=String), facts(json, actions=actions)]

    return made


FILE_FIELDS: dict[str, FieldMap] = {
    "unemploymentFile": Computed(
        (lambda t: t.kind,),
        unemployment_file,
        json_args=_args(actions=False),
        params=clock,
        cache=False,
    ),
    "actions": Computed(
        (lambda t: t.kind,),
        actions,
        json_args=_args(actions=True),
        params=clock,
        cache=False,
    ),
}
"""The ``Dashboard`` fields of the unemployment file, for ``{**COUNT_FIELDS, **FILE_FIELDS}``."""
