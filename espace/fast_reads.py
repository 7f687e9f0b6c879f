"""The HTTP side of the compiled reads' fast path (``schema.core.compiled.fast``).

A plain JSON POST whose document the full pipeline has already answered from its compiled
plan, signed in with a live token (checked as the view checks it: from the session cache,
else with one statement) or not signed in at all, is answered here: no Strawberry view,
context or ORM session, one statement for the answer. Any other request, and any doubt on
the way, goes on to the GraphQL view, which answers as it always does. The middlewares
(deadline, in-flight bound, request log, metrics, CORS) wrap both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

import orjson
from graphql import ExecutionResult
from starlette.requests import Request
from starlette.responses import Response

from espace.responses import bearer_token
from resolvers.identity.cached_sessions import cached_account
from schema.core.compiled.fast import answer
from schema.core.observed import GRAPHQL_STATE


@dataclass(frozen=True, slots=True)
class FastExecution:
    """What the observability middleware reads of an execution (``outcome_of``)."""

    operation_name: str | None
    result: ExecutionResult


TokenCheck = Callable[[Any, str], Awaitable[Any]]
"""espace.graphql_view.viewer_of_token: the viewer of a token, checked in the database."""

ANSWERED = ExecutionResult(data={})  # a compiled read has no errors and no userErrors
UNSURE = object()  # the token could not be checked: the view answers


async def fast_response(
    runtime: Any, schema: Any, request: Request, check: TokenCheck
) -> Response | None:
    """The answer of the fast path, or None: the GraphQL view answers. ``check`` is the
    view's full token check (``viewer_of_token``), for a token the cache does not hold."""
    if not runtime.settings.compiled_reads or request.method != "POST":
        return None
    headers = request.headers
    if not headers.get("content-type", "").lower().startswith("application/json"):
        return None
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
    known = reads.known.get((query, name))
    if known is None:
        return None
    account: tuple[int, str] | None = None
    authorization = headers.get("authorization")
    if authorization is not None:
        token = bearer_token(authorization)
        if token is None:
            return None  # not a bearer token: the view answers it
        checked = await _account(runtime, token, check)
        if checked is UNSURE:
            return None
        account = cast(tuple[int, str] | None, checked)
    content = await answer(reads, known, schema._schema, runtime, variables, account)
    if content is None:
        return None
    setattr(request.state, GRAPHQL_STATE, FastExecution(known.name, ANSWERED))
    return Response(content, media_type="application/json")


async def _account(runtime: Any, token: str, check: TokenCheck) -> object:
    """The signed-in account's id and kind, from the session cache, else by the view's own
    check (one statement; it caches the check and moves the idle expiry on as for any
    request); None for a token unknown, revoked or expired, whose request the view answers
    as an anonymous one (no viewer); ``UNSURE`` when the check failed (a pool timeout, say:
    the view meets it again and answers it)."""
    account = cached_account(runtime, token)
    if account is not None:
        return account
    try:
        viewer = await check(runtime, token)
    except Exception:
        return UNSURE
    return (viewer.account.id, viewer.account.kind) if viewer is not None else None
