"""The compiled reads' fast path: a request the whole pipeline has already answered from its
plan (``reads.Known``: the same document text and operation name) is answered again without
Strawberry's per-request machinery and without an ORM session: the variables are checked
(NUL characters, cost), bound, and the plan's one statement runs on a pooled connection in
autocommit (no BEGIN/ROLLBACK around a single read).

On PostgreSQL the statement goes straight to asyncpg (compiled once per plan; SQLAlchemy's
``before_cursor_execute`` listeners, when there are any, are told of it as of any other).
Everything else, and every doubt, goes to the full pipeline, which answers the same request
as it always does: a document not yet answered from a plan, bad variables, a page the
interpreter must refuse, a failed statement (the pipeline reports it with its codes), an
answer over ``ESPACE_MAX_RESPONSE_BYTES``. So the fast path never answers an error of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLSchema
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.core.compiled.compiler import Compiled
from schema.core.compiled.reads import CompiledReads, Known, bind, filled

log = logging.getLogger(__name__)

AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}
DIRECT_PLANS = 1000


@dataclass(frozen=True, slots=True)
class Direct:
    """A plan's statement as asyncpg runs it: its SQL text, its parameters' names in
    order and the values SQLAlchemy bound for its constants."""

    sql: str
    names: tuple[str, ...]
    constants: dict[str, Any]


_direct: dict[int, tuple[Compiled, Direct | None]] = {}  # by id(plan), the plan kept alive


def direct_of(engine: AsyncEngine, plan: Compiled) -> Direct | None:
    """The plan's statement for asyncpg, compiled once; None on another driver, or when a
    parameter needs SQLAlchemy's conversion or expansion (then SQLAlchemy runs it)."""
    found = _direct.get(id(plan))
    if found is not None:
        return found[1]
    direct = None
    if engine.dialect.driver == "asyncpg":
        compiled = plan.statement.compile(dialect=engine.dialect)
        converts = getattr(compiled, "_bind_processors", None)
        expands = "__[POSTCOMPILE_" in compiled.string  # an IN list, rendered per execution
        if converts == {} and compiled.positiontup is not None and not expands:
            names = tuple(compiled.positiontup)
            direct = Direct(compiled.string, names, dict(compiled.params))
    if len(_direct) >= DIRECT_PLANS:
        _direct.clear()
    _direct[id(plan)] = (plan, direct)
    return direct


async def _run(engine: AsyncEngine, plan: Compiled, params: dict[str, Any]) -> str:
    """The plan's JSON text: one statement on a pooled connection, outside a transaction."""
    direct = direct_of(engine, plan)
    async with engine.connect() as conn:
        if direct is not None:
            raw = await conn.get_raw_connection()
            values = direct.constants | params
            args = tuple(values[name] for name in direct.names)
            announce = engine.sync_engine.dispatch.before_cursor_execute
            if announce:  # statement counters (tests, bench) see this path too
                announce(conn.sync_connection, None, direct.sql, args, None, False)
            driver: Any = raw.driver_connection
            text = await driver.fetchval(direct.sql, *args)
        else:
            conn = await conn.execution_options(**AUTOCOMMIT)
            text = (await conn.execute(plan.statement, params)).scalar_one()
    return str(text)


async def answer(
    reads: CompiledReads,
    known: Known,
    schema: GraphQLSchema,
    runtime: Any,
    variables: Mapping[str, Any] | None,
    account: tuple[int, str] | None,
) -> bytes | None:
    """The response body of a known request, or None (the full pipeline answers)."""
    if reads.checks is None:
        return None
    if variables:
        cost, nul = reads.checks
        if nul(known.document, variables) is not None:
            return None
        if cost(schema, known.document, known.sent_name, variables):
            return None
    settings = runtime.settings
    plan = known.plan
    try:
        params = bind(plan, schema, variables, account, runtime)
    except Exception:  # a bug here must not fail the request: the pipeline answers
        log.exception("binding a compiled read failed")
        return None
    if params is None:
        return None
    try:
        text = await _run(runtime.engine, plan, params)
    except Exception:  # a bound (timeout, pool) or a bug: the pipeline reports it
        log.info("fast compiled read failed", exc_info=True)
        return None
    limit = settings.max_response_bytes
    if limit > 0 and len(text) > limit:
        return None  # the pipeline refuses it with its own words
    data = filled(plan, text, runtime)
    if data is None:
        return None
    reads.counts["compiled"] += 1
    reads.counts["fast"] += 1
    if plan.filler is None:
        return b'{"data":' + text.encode() + b"}"
    return orjson.dumps({"data": data})
