"""The HTTP side of the compiled reads' fast path (``schema.core.compiled.fast``).

A plain JSON POST whose document the full pipeline has already answered from its compiled
plan, signed in with a token whose check the session cache can serve with nothing else to
do (or not signed in at all), is answered here: no Strawberry view, context or ORM session,
one statement. Any other request, and any doubt on the way, goes on to the GraphQL view,
which answers as it always does. The middlewares (deadline, in-flight bound, request log,
metrics, CORS) wrap both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from graphql import ExecutionResult
from starlette.requests import Request
from starlette.responses import Response

from espace.responses import bearer_token
from resolvers.identity.cached_sessions import cached_account_id
from schema.core.compiled.fast import answer
from schema.core.observed import GRAPHQL_STATE


@dataclass(frozen=True, slots=True)
class FastExecution:
    """What the observability middleware reads of an execution (``outcome_of``)."""

    operation_name: str | None
    result: ExecutionResult


ANSWERED = ExecutionResult(data={})  # a compiled read has no errors and no userErrors


async def fast_response(runtime: Any, schema: Any, request: Request) -> Response | None:
    """The answer of the fast path, or None: the GraphQL view answers."""
    if not runtime.settings.compiled_reads or request.method != "POST":
        return None
    headers = request.headers
    if not headers.get("content-type", "").lower().startswith("application/json"):
        return None
    account_id: int | None = None
    authorization = headers.get("authorization")
    if authorization is not None:
        token = bearer_token(authorization)
        account_id = cached_account_id(runtime, token) if token else None
        if account_id is None:
            return None  # the full check (and its refusals) runs in the view
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return None
    if not isinstance(body, dict) or body.get("extensions"):
        return None  # persisted queries and the like: the view resolves them
    query, name, variables = body.get("query"), body.get("operationName"), body.get("variables")
    if not isinstance(query, str) or not isinstance(name, str | None):
        return None
    if not isinstance(variables, dict | None):
        return None
    reads = schema.compiled_reads
    found = await answer(reads, schema._schema, runtime, query, name, variables, account_id)
    if found is None:
        return None
    content, operation = found
    setattr(request.state, GRAPHQL_STATE, FastExecution(operation, ANSWERED))
    return Response(content, media_type="application/json")
