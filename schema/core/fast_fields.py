"""Fields that only read an attribute, executed without graphql-core's per-field machinery.

graphql-core executes every field the same way: a ``Path``, a resolve info, the resolver,
then ``complete_value``'s dispatch on the type (non-null, list, leaf, object). For a field
strawberry marks as basic (no resolver, no permission or field extension: it reads an
attribute with the configured default resolver), with no middleware (no extension's
``resolve`` hook), that work comes down to reading the attribute and then, for a scalar or
an enum, coercing it, for an object type, executing its selection. Most fields of an
answer are such fields: this module executes them directly, several times cheaper.

Only the ordinary case takes the short path. A leaf that is null (where null is not
allowed), an exception, an awaitable, that fails to coerce, or that the response-size bound
(``schema.core.response_size``) would refuse goes through graphql-core's own
``execute_field`` from the start, so errors, their paths and messages, and null
propagation stay exactly graphql-core's (the attribute read is a plain read: reading it
again changes nothing). An object field does what ``complete_value`` would do for it, with
the same error handling as ``execute_field``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLOutputType, is_leaf_type
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF

LEAF_OVERHEAD = 16
"""What a leaf adds around its value in the JSON text (key, quotes, separators), for the
response-size bound."""

Plan = tuple[bool, Callable[[Any, str], Any], str, Any, bool, GraphQLOutputType]
"""Whether the field is a leaf, the default resolver, the attribute it reads, the leaf's
output coercion (or the object type), whether it is nullable, and the field's type."""

# Values that are never null, awaitable nor an exception: they skip those checks.
_PLAIN = frozenset({str, int, float, bool})
_GENERAL = object()  # « use graphql-core's execute_field »


def field_plan(parent_type: GraphQLObjectType, name: str) -> Plan | None:
    """How to execute field ``name`` of ``parent_type`` directly, or None when it needs
    graphql-core's general path (a resolver, arguments, a list or abstract type, an
    object type that checks its values with ``is_type_of``)."""
    field = parent_type.fields.get(name)
    if field is None or field.args or not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(BACKREF)
    # strawberry's own test for « reads an attribute » (its resolver wrapper's fast path).
    if definition is None or not definition.is_basic_field:
        return None
    nullable = not isinstance(field.type, GraphQLNonNull)
    named = field.type if nullable else field.type.of_type
    read = definition.default_resolver, definition.python_name
    if is_leaf_type(named):
        return True, *read, named.coerce_output_value, nullable, field.type
    object_type = _plain_object(field.type)
    return None if object_type is None else (False, *read, object_type, nullable, field.type)


def _plain_object(field_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type of ``field_type`` (null allowed or not) when its values are not
    checked with ``is_type_of``, else None."""
    named = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if isinstance(named, GraphQLObjectType) and named.is_type_of is None:
        return named
    return None


class FastFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with basic fields executed directly."""

    max_bytes = 0
    """The response-size bound (0: none); ``schema.core.response_size`` enforces it."""

    _plans: dict[tuple[GraphQLObjectType, str], Plan | None] = {}
    """Per class: keyed by the schema's own types (each schema builds its class)."""

    _objects: dict[GraphQLOutputType, GraphQLObjectType | None] = {}
    """Per class, as ``_plans``: the object type a field type completes as directly."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._plans = {}
        cls._objects = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._size = 0  # bytes of the leaves completed so far
        self._over = False  # the bound was passed: the answer is refused
        manager = self.middleware_manager
        self._direct = manager is None or not manager.middlewares
        self._set_plans: dict[int, tuple[Any, list[Plan | None]]] = {}

    def _plans_for(self, parent_type: GraphQLObjectType, fields: Any) -> list[Plan | None]:
        # One grouped field set serves every item of a list: plan it once per request
        # (holding it, so that its id is not reused while the request runs).
        found = self._set_plans.get(id(fields))
        if found is not None and found[0] is fields:
            return found[1]
        known = self._plans
        plans = []
        for details in fields.values():
            key = (parent_type, details[0].node.name.value)
            if key not in known:
                known[key] = field_plan(*key)
            plans.append(known[key] if self._direct else None)
        self._set_plans[id(fields)] = (fields, plans)
        return plans

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        # graphql-core's Executor.execute_fields, with the short path for planned fields.
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        bound = self.max_bytes
        plans = self._plans_for(parent_type, grouped_field_set)
        try:
            for plan, (response_name, details) in zip(
                plans, grouped_field_set.items(), strict=True
            ):
                if plan is not None and not plan[0]:
                    field_path = Path(path, response_name, parent_type.name)
                    result = self._object_field(
                        plan, parent_type, source_value, details, field_path, position_context
                    )
                else:
                    if plan is not None:
                        _, resolver, attribute, coerce, nullable, _ = plan
                        try:
                            value = resolver(source_value, attribute)
                            if type(value) in _PLAIN or not (
                                value is None or isinstance(value, Exception) or is_awaitable(value)
                            ):
                                coerced = coerce(value)
                                if coerced is None or coerced is Undefined:
                                    coerced = _GENERAL
                            else:
                                coerced = None if value is None and nullable else _GENERAL
                        except Exception:
                            coerced = _GENERAL
                        if coerced is not _GENERAL:
                            if bound > 0 and coerced is not None:
                                size = self._size + LEAF_OVERHEAD
                                size += len(coerced) if isinstance(coerced, str) else 0
                                if self._over or size > bound:
                                    coerced = _GENERAL  # complete_leaf_value refuses it
                                else:
                                    self._size = size
                            if coerced is not _GENERAL:
                                results[response_name] = coerced
                                continue
                    # Not planned, or not a plain leaf value: graphql-core's own path.
                    field_path = Path(path, response_name, parent_type.name)
                    result = self.execute_field(
                        parent_type, source_value, details, field_path, position_context
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _gathered(results, awaitable_fields)

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        # For an object type (null allowed or not) without ``is_type_of``, and a value that
        # is neither null nor an exception, graphql-core's complete_value comes down to
        # executing the object's selection (a list's items take this path).
        objects = self._objects
        if return_type not in objects:
            objects[return_type] = _plain_object(return_type)
        object_type = objects[return_type]
        if (
            object_type is None
            or result is None
            or result is Undefined
            or isinstance(result, Exception)
        ):
            return super().complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
        return self.collect_and_execute_subfields(
            object_type, field_details_list, path, result, position_context
        )

    def _object_field(
        self,
        plan: Plan,
        parent_type: GraphQLObjectType,
        source: Any,
        details: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        """``execute_field`` for a basic field of an object type without ``is_type_of``:
        ``complete_value`` comes down to executing the object's selection."""
        _, resolver, attribute, object_type, nullable, return_type = plan
        try:
            value = resolver(source, attribute)
        except Exception:
            value = _GENERAL
        if value is None and nullable:
            return None
        if value is None or value is _GENERAL or isinstance(value, Exception):
            return self.execute_field(parent_type, source, details, path, position_context)
        if self.is_awaitable(value):
            return self.execute_field(parent_type, source, details, path, position_context)
        try:
            completed = self.collect_and_execute_subfields(
                object_type, details, path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None
        if self.is_awaitable(completed):
            return self._awaited(completed, return_type, details, path)
        return completed

    async def _awaited(
        self, completed: Awaitable[Any], return_type: GraphQLOutputType, details: Any, path: Path
    ) -> Any:
        # execute_field's await_completed.
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None


async def _gathered(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
    """The results with their awaitable fields awaited (as graphql-core does)."""
    if len(awaitable_fields) == 1:
        field = awaitable_fields[0]
        results[field] = await results[field]
        return results
    pending: list[Awaitable[Any]] = [results[field] for field in awaitable_fields]
    awaited = await gather_with_cancel(*pending)
    results.update(zip(awaitable_fields, awaited, strict=True))
    return results
