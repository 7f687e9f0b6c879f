"""Running compiled reads: the plan cache (per document and operation name, reused across
requests and variables), the statement, and the fall back to the interpreter.

The answer is the JSON text the database built, written out as it is (``orjson.Fragment``)
unless the plan has computed fields for the post-pass."""

from __future__ import annotations

import logging
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import ExecutionResult, GraphQLError, GraphQLSchema
from graphql.execution.values import get_variable_values
from sqlalchemy import Text, cast, select
from strawberry.types import ExecutionContext

from models.base import utcnow
from schema.core.compiled import postpass
from schema.core.compiled.collect import NotCompilable
from schema.core.compiled.compiler import Compiled, compile_document
from schema.core.compiled.declare import Declarations

log = logging.getLogger(__name__)

PLAN_CACHE_SIZE = 1000
NOT_COMPILED = object()  # a cached "this document needs the interpreter"

CostCheck = Callable[[Any, Any, str | None, Mapping[str, Any] | None], list[GraphQLError]]
NulCheck = Callable[[Any, object], GraphQLError | None]


@dataclass(frozen=True, slots=True)
class Known:
    """A request (document text, operation name as sent) the full pipeline parsed,
    validated and answered from ``plan``: the fast path may answer it again."""

    document: Any
    plan: Compiled
    name: str | None  # the operation's name (for the request log and metrics)
    sent_name: str | None  # the operation name as the request sent it


class CompiledReads:
    """The compiled path of one schema: its declarations, its plans and their counts."""

    def __init__(self, declarations: Declarations, roots: Mapping[str, str]) -> None:
        self.declarations = declarations
        self.roots = roots
        self.plans: OrderedDict[tuple[str, str | None, str], Any] = OrderedDict()
        self.known: OrderedDict[tuple[str, str | None], Known] = OrderedDict()
        self.counts: Counter[str] = Counter()  # compiled / interpreted / fast requests
        self.checks: tuple[CostCheck, NulCheck] | None = None  # set by schema.build_schema

    def plan(
        self, schema: GraphQLSchema, query: str, document: Any, name: str | None, dialect: str
    ) -> Compiled | None:
        key = (query, name, dialect)
        found = self.plans.get(key)
        if found is None:
            found = compile_document(schema, self.declarations, self.roots, dialect, document, name)
            if found is not None:
                text = cast(found.statement.selected_columns[0], Text).label("data")
                try:
                    filler = postpass.Filler(found.fixes, schema, document) if found.fixes else None
                except NotCompilable:  # a computed field's selection needs resolvers
                    found, filler = None, None
                if found is not None:
                    found = Compiled(
                        select(text), found.pages, found.fixes, found.operation, filler, found.kinds
                    )
            self.plans[key] = NOT_COMPILED if found is None else found
            if len(self.plans) > PLAN_CACHE_SIZE:
                self.plans.popitem(last=False)
        else:
            self.plans.move_to_end(key)
        return None if found is None or found is NOT_COMPILED else found

    async def run(self, execution: ExecutionContext) -> ExecutionResult | None:
        """The compiled answer, or None: the interpreter answers (never an error)."""
        context = execution.context
        if not getattr(context, "compiled_reads", False) or execution.graphql_document is None:
            return None
        runtime = context.runtime
        schema = execution.schema._schema
        dialect = runtime.engine.dialect.name
        plan = self.plan(
            schema,
            execution.query or "",
            execution.graphql_document,
            execution.operation_name,
            dialect,
        )
        try:
            params = self.params(plan, schema, execution, runtime.settings) if plan else None
        except Exception:  # a bug here must not fail the request: the interpreter answers
            log.exception("binding a compiled read failed")
            params = None
        if plan is None or params is None:
            self.counts["interpreted"] += 1
            return None
        try:
            text = (await context.read_session().execute(plan.statement, params)).scalar_one()
        except Exception as exc:  # a bound (timeout, pool) or a bug: as the interpreter says it
            if not too_deep(exc):
                log.info("compiled read failed", exc_info=True)
                return failed(plan, exc)
            # The database refuses the statement's nesting (lists under lists under a
            # relation): this document is the interpreter's from now on.
            log.warning("compiled read too deep for the database: interpreted")
            if dialect == "postgresql":  # its transaction ended with the error
                await context.read_session().rollback()
            self.plans[(execution.query or "", execution.operation_name, dialect)] = NOT_COMPILED
            self.counts["interpreted"] += 1
            return None
        limit = runtime.settings.max_response_bytes
        if limit > 0 and len(text) > limit:
            self.counts["interpreted"] += 1
            return None  # the interpreter refuses it with its own words
        data = filled(plan, text, runtime)
        if data is None:
            self.counts["interpreted"] += 1
            return None
        self.counts["compiled"] += 1
        self.remember(execution, plan)
        return ExecutionResult(data=data)

    def remember(self, execution: ExecutionContext, plan: Compiled) -> None:
        """Record a request the whole pipeline answered from its plan (``Known``)."""
        key = (execution.query or "", getattr(execution, "_provided_operation_name", None))
        if key in self.known:
            return
        name = plan.operation.name.value if plan.operation.name else None
        self.known[key] = Known(execution.graphql_document, plan, name, key[1])
        if len(self.known) > PLAN_CACHE_SIZE:
            self.known.popitem(last=False)

    @staticmethod
    def params(
        plan: Compiled, schema: GraphQLSchema, execution: ExecutionContext, settings: Any
    ) -> dict[str, Any] | None:
        viewer = execution.context.viewer
        account = (viewer.account.id, viewer.account.kind) if viewer else None
        runtime = execution.context.runtime
        return bind(plan, schema, execution.variables, account, runtime)


def bind(
    plan: Compiled,
    schema: GraphQLSchema,
    variables: Mapping[str, Any] | None,
    account: tuple[int, str] | None,
    runtime: Any,
) -> dict[str, Any] | None:
    """The statement's parameters for these variables and this viewer (its account's id and
    kind); None when the variables do not hold (the interpreter reports them), a page needs
    the interpreter, or the plan's lists are not compiled for this kind of account."""
    if plan.kinds is not None and account is not None and account[1] not in plan.kinds:
        return None  # a list compiled for other account kinds: the interpreter answers
    settings = runtime.settings
    definitions = plan.operation.variable_definitions or ()
    coerced = get_variable_values(schema, definitions, dict(variables or {}))
    if isinstance(coerced, list):
        return None  # the interpreter reports the variables' errors
    values = coerced.coerced
    params: dict[str, Any] = {
        "account_id": account[0] if account else None,
        "public_url": str(settings.public_url).rstrip("/"),  # Link fields
        "now": utcnow(),  # what is pending now (the interpreter's reads use utcnow too)
    }
    for values_of in dict.fromkeys(f.computed.params for f in plan.fixes if f.computed.params):
        params |= values_of(runtime)  # e.g. the clock's instant, once per request
    for page in plan.pages:
        found = page.params(values, settings.max_page_size)
        if found is None:
            return None
        params |= found
    return params


def filled(plan: Compiled, text: str, runtime: Any) -> Any:
    """The answer's ``data``: the database's JSON text as it is, or with the post-pass's
    computed fields filled in; None when the post-pass failed (a bug in a computed field:
    the interpreter answers, and the log says so)."""
    if plan.filler is None:
        return orjson.Fragment(text)
    data = orjson.loads(text)
    try:
        plan.filler.apply(data, runtime)
    except Exception:
        log.exception("the post-pass of a compiled read failed")
        return None
    return data


TOO_DEEP = ("parser stack overflow", "expression tree is too large", "stack depth limit exceeded")


def too_deep(exc: Exception) -> bool:
    """SQLite's parser (or PostgreSQL's stack) refused the statement for its depth."""
    return any(words in str(exc).lower() for words in TOO_DEEP)


def failed(plan: Compiled, exc: Exception) -> ExecutionResult:
    """A failed statement as the interpreter reports a failed root field: null there, with
    the error (``schema.core.pipeline`` maps bounds to TIMEOUT/POOL_TIMEOUT, masks bugs)."""
    data: dict[str, Any] = {}
    errors: list[GraphQLError] = []
    for selection in plan.operation.selection_set.selections:
        name = getattr(selection, "name", None)
        alias = getattr(selection, "alias", None)
        if name is None:
            continue
        key = (alias or name).value
        data[key] = "Query" if name.value == "__typename" else None
        if name.value != "__typename" and not errors:
            errors.append(GraphQLError(str(exc), path=[key], original_error=exc))
    return ExecutionResult(data=data, errors=errors)
