"""The response-size bound holds while the answer is built, not only once it is encoded."""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult, GraphQLLeafType, execute, parse

from ground.settings import Settings
from schema import build_schema
from schema.core.response_size import sized_execution_context

INTROSPECTION = "{ __schema { types { name description fields { name description } } } }"


def run(limit: int) -> tuple[ExecutionResult, list[Any]]:
    """Execute the introspection document under ``limit``, keeping every leaf built."""
    built: list[Any] = []

    class Recording(sized_execution_context(limit)):  # type: ignore[misc]
        def complete_leaf_value(self, return_type: GraphQLLeafType, result: Any) -> Any:
            value = super().complete_leaf_value(return_type, result)
            if value is not None:
                built.append(value)
            return value

    schema = build_schema(Settings(debug=True))._schema
    result = execute(schema, parse(INTROSPECTION), executor_class=Recording)
    assert isinstance(result, ExecutionResult)
    return result, built


def size(leaves: list[Any]) -> int:
    """The text the leaves hold."""
    return sum(len(v) for v in leaves if isinstance(v, str))


def test_the_answer_stops_growing_at_the_bound() -> None:
    # Given the whole answer, built without a bound
    whole, everything = run(0)
    assert whole.errors is None
    assert size(everything) > 32 * 1024
    # When the bound is 4 KiB
    result, built = run(4096)
    # Then the text kept stays within it (the leaf that crosses it is refused), the rest of
    # the leaves being empty placeholders
    assert size(built) <= 4096
    # And the one error is the refusal, with its stable code
    assert result.errors is not None
    assert [(e.extensions or {}).get("code") for e in result.errors] == ["RESPONSE_TOO_LARGE"]
