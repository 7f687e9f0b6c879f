"""GraphQL documents sent over the socket: parsed and validated once per text (cached), the
root field of a subscription found, one event executed, results shaped as over HTTP.

The limits come from the schema's own extensions (token limit, validation rules, error
masking), so a document refused over HTTP is refused here the same way.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any, TypeGuard, cast

import orjson
import strawberry
from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
)
from graphql.execution import Executor, get_argument_values
from graphql.execution.collect_fields import collect_fields
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.extensions import AddValidationRules, MaskErrors, MaxTokensLimiter
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionResult as StrawberryResult

from espace.graphql_view import format_result

log = logging.getLogger(__name__)

CACHE_SIZE = 1000
# Strawberry's fast check, typed as graphql-core wants it.
IS_AWAITABLE = cast(Callable[[Any], TypeGuard[Awaitable[Any]]], optimized_is_awaitable)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A parsed document, or why it cannot run (parse or validation errors)."""

    document: DocumentNode | None
    errors: list[GraphQLError]


@dataclass(frozen=True, slots=True)
class RootField:
    """The one root field of a subscription and its coerced arguments."""

    name: str
    arguments: dict[str, Any]


class Documents:
    """Prepares documents for one schema and executes subscription events against it."""

    def __init__(self, schema: strawberry.Schema) -> None:
        self.schema = schema
        self.graphql_schema = schema._schema
        rules: list[type[ASTValidationRule]] = list(specified_rules)
        self.max_tokens: int | None = None
        self.mask: MaskErrors | None = None
        for extension in schema.get_extensions():
            if isinstance(extension, AddValidationRules):  # DisableIntrospection is one too
                rules.extend(extension.validation_rules)
            elif isinstance(extension, MaxTokensLimiter):
                self.max_tokens = extension.max_token_count
            elif isinstance(extension, MaskErrors):
                self.mask = extension
        self.rules = tuple(rules)
        self._cache: OrderedDict[str, Prepared] = OrderedDict()

    def prepare(self, query: str) -> Prepared:
        """Parse and validate ``query`` (cached by its text)."""
        found = self._cache.get(query)
        if found is not None:
            self._cache.move_to_end(query)
            return found
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:
            prepared = Prepared(None, [error])
        else:
            errors = validate_document(self.graphql_schema, document, self.rules)
            prepared = Prepared(None, errors) if errors else Prepared(document, [])
        self._cache[query] = prepared
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return prepared

    @staticmethod
    def operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
        return get_operation_ast(document, name)

    def root_field(
        self, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None
    ) -> RootField | list[GraphQLError]:
        """The subscription's root field and arguments, or the variables' coercion errors."""
        executor = Executor.build(
            self.graphql_schema,
            document,
            raw_variable_values=variables,
            operation_name=operation_name,
        )
        if isinstance(executor, list):
            return executor
        root_type = self.graphql_schema.subscription_type
        assert root_type is not None, "validation refuses subscriptions without the type"
        grouped = collect_fields(
            self.graphql_schema,
            executor.fragments,
            executor.variable_values,
            root_type,
            executor.operation,
        ).grouped_field_set
        details = next(iter(grouped.values()))
        node = details[0].node
        field = root_type.fields[node.name.value]
        try:
            arguments = get_argument_values(field, node, executor.variable_values)
        except GraphQLError as error:
            return [error]
        return RootField(node.name.value, arguments)

    async def execute_event(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        root: object,
        context: object,
    ) -> str:
        """Execute a subscription for one source event, as graphql-core maps a source
        stream (the root field resolves to ``root``); the serialized ``payload``."""
        result = execute(
            self.graphql_schema,
            document,
            root_value=root,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            executor_class=self.schema.execution_context_class,
            is_awaitable=IS_AWAITABLE,
        )
        if isawaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        return self.serialize(result.data, result.errors)

    def serialize(self, data: dict[str, Any] | None, errors: list[GraphQLError] | None) -> str:
        """A result as JSON text: errors logged, masked and coded as over HTTP."""
        if errors:
            errors = self.processed(errors)
        body = format_result(StrawberryResult(data=data, errors=errors))
        return orjson.dumps(body).decode()

    def error_payload(self, errors: list[GraphQLError]) -> list[dict[str, Any]]:
        """The payload of an ``error`` message (errors before execution)."""
        body = format_result(StrawberryResult(data=None, errors=self.processed(errors)))
        return cast(list[dict[str, Any]], body.get("errors") or [])

    def processed(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        if self.schema.config.disable_field_suggestions:
            for error in errors:
                self.schema.remove_field_suggestion(error)
        self.schema.process_errors(errors)
        mask = self.mask
        if mask is None:
            return errors
        return [mask.anonymise_error(e) if mask.should_mask_error(e) else e for e in errors]


def is_subscription(operation: OperationDefinitionNode) -> bool:
    return operation.operation == OperationType.SUBSCRIPTION
