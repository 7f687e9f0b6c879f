"""GraphQL documents sent over the socket: parsed and validated once per text (cached), the
root field of a subscription found, one event executed, results shaped as over HTTP.

Parsing, validation and execution go through the schema's own extensions, so a document
refused over HTTP (token, depth, cost limits) is refused here the same way, and errors
are masked and coded the same way.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

import orjson
import strawberry
from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
)
from graphql.execution import Executor, get_argument_values
from graphql.execution.collect_fields import collect_fields
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext
from strawberry.types import ExecutionResult as StrawberryResult
from strawberry.types.graphql import OperationType

from espace.responses import format_result

CACHE_SIZE = 1000
ALL_OPERATIONS = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)
SUBSCRIPTIONS = (OperationType.SUBSCRIPTION,)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A parsed and valid document, or why it cannot run (parse or validation errors)."""

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
        self._cache: OrderedDict[str, Prepared] = OrderedDict()

    async def prepare(self, query: str) -> Prepared:
        """Parse and validate ``query`` with the schema's extensions (cached by text)."""
        found = self._cache.get(query)
        if found is not None:
            self._cache.move_to_end(query)
            return found
        try:
            document, errors = await self._parse_and_validate(query)
        except GraphQLError as error:
            prepared = Prepared(None, [error])
        else:
            prepared = Prepared(None, list(errors)) if errors else Prepared(document, [])
        self._cache[query] = prepared
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return prepared

    async def _parse_and_validate(self, query: str) -> tuple[DocumentNode, list[GraphQLError]]:
        # Strawberry's own steps (as in Schema.execute), without executing: the extensions
        # add their rules and token limit, or parse and validate themselves.
        context = ExecutionContext(
            query=query, schema=self.schema, allowed_operations=ALL_OPERATIONS
        )
        extensions = self.schema.get_extensions()
        for extension in extensions:
            extension.execution_context = context
        runner = self.schema.create_extensions_runner(context, extensions)
        async with runner.operation():
            async with runner.parsing():
                if context.graphql_document is None:
                    context.graphql_document = parse(query, **context.parse_options)
            async with runner.validation():
                if context.pre_execution_errors is None:
                    context.pre_execution_errors = validate_document(
                        self.graphql_schema, context.graphql_document, context.validation_rules
                    )
        return context.graphql_document, list(context.pre_execution_errors or [])

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
        query: str,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        root: object,
        context: object,
    ) -> str:
        """Execute a subscription for one source event, as graphql-core maps a source
        stream: the root field resolves to ``root``. Returns the serialized payload."""
        result = await self.schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            root_value=root,
            operation_name=operation_name,
            allowed_operation_types=SUBSCRIPTIONS,
        )
        return serialize(result)

    def errors_payload(self, errors: list[GraphQLError]) -> str:
        """A ``next`` payload made of errors found before execution (variables, cursor)."""
        return serialize(StrawberryResult(data=None, errors=self.processed(errors)))

    def error_message_payload(self, errors: list[GraphQLError]) -> list[dict[str, Any]]:
        """The payload of an ``error`` message (parse and validation errors)."""
        body = format_result(StrawberryResult(data=None, errors=self.processed(errors)))
        return cast(list[dict[str, Any]], body.get("errors") or [])

    def processed(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        """As Strawberry treats them: suggestions dropped when configured, then logged."""
        if self.schema.config.disable_field_suggestions:
            for error in errors:
                self.schema.remove_field_suggestion(error)
        self.schema.process_errors(errors)
        return errors


def serialize(result: StrawberryResult) -> str:
    """A result as JSON text, each error with its ``extensions.code`` as over HTTP."""
    return orjson.dumps(format_result(result)).decode()
