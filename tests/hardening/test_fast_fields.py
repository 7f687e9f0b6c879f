"""The short path for fields that read an attribute (schema.core.fast_fields) answers
exactly as graphql-core's general path: same data, same errors (messages, paths,
locations), same null propagation, same refusal at the response-size bound."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLOutputType
from graphql.execution.executor import Executor

from schema.core.response_size import sized_execution_context


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Inner:
    name: str
    size: int | None


@strawberry.type
class Item:
    text: str
    maybe: str | None
    count: int
    colour: Colour
    inner: Inner
    maybe_inner: Inner | None


async def _later() -> str:
    return "plus tard"


def good(n: int) -> Item:
    return Item(
        text=f"objet {n}",
        maybe=None if n % 2 else "oui",
        count=n,
        colour=Colour.RED if n % 2 else Colour.BLUE,
        inner=Inner(name=f"dedans {n}", size=n if n % 3 else None),
        maybe_inner=None if n % 2 else Inner(name="peut-être", size=1),
    )


def bad(kind: str) -> Item:
    item = good(0)
    broken: dict[str, Any] = {
        "null": lambda: {"text": None},
        "uncoercible": lambda: {"count": "pas un nombre"},
        "exception": lambda: {"text": ValueError("cassé")},
        # Read twice (text, alias): the second read fails alike on both paths.
        "awaitable": lambda: {"text": _later()},
        "null_object": lambda: {"inner": None},
        "null_in_object": lambda: {"inner": Inner(name=None, size=2)},  # type: ignore[arg-type]
        "bad_enum": lambda: {"colour": "vert"},
    }[kind]()
    for name, value in broken.items():
        setattr(item, name, value)
    return item


KINDS = ("null", "uncoercible", "exception", "awaitable", "null_object", "null_in_object")


@strawberry.type
class Query:
    @strawberry.field
    def items(self, kind: str | None = None) -> list[Item]:
        return [good(n) for n in range(4)] + ([bad(kind)] if kind else [])

    @strawberry.field
    def maybe_items(self, kind: str) -> list[Item | None]:
        return [good(1), bad(kind)]


FIELDS = "text maybe count colour inner { name size } maybeInner { name size } alias: text"


class General:
    """graphql-core's general path for every field (the class before the short path)."""

    def execute_fields(self, *args: Any) -> Any:
        return Executor.execute_fields(self, *args)  # type: ignore[arg-type]

    def complete_value(self, return_type: GraphQLOutputType, *args: Any) -> Any:
        return Executor.complete_value(self, return_type, *args)  # type: ignore[arg-type]


def answers(document: str, limit: int = 0) -> list[Any]:
    """The answer with the short path, then with the general path."""
    sized = sized_execution_context(limit)
    general = type("GeneralSized", (General, sized_execution_context(limit)), {})
    found = []
    for executor in (sized, general):
        schema = strawberry.Schema(query=Query, execution_context_class=executor)
        result = asyncio.run(schema.execute(document))
        errors = [e.formatted for e in result.errors or []]
        found.append((result.data, sorted(errors, key=str)))
    return found


def test_ordinary_fields_answer_alike() -> None:
    short, general = answers(f"{{ items {{ {FIELDS} }} }}")
    assert short == general
    assert short[1] == [] and len(short[0]["items"]) == 4


def test_every_broken_value_fails_alike() -> None:
    for kind in (*KINDS, "bad_enum"):
        for root in ("items", "maybeItems"):
            short, general = answers(f'{{ {root}(kind: "{kind}") {{ {FIELDS} }} }}')
            assert short == general, (kind, root)
            assert short[1], (kind, root)  # the broken value is an error


def test_the_size_bound_refuses_at_the_same_leaf() -> None:
    for limit in (1, 40, 100, 250, 400):
        short, general = answers(f"{{ items {{ {FIELDS} }} }}", limit)
        assert short == general, limit
        codes = [e.get("extensions", {}).get("code") for e in short[1]]
        assert codes == ["RESPONSE_TOO_LARGE"], limit
