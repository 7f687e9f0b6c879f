"""The schema is the API's documentation: every element described, every top-level error
code listed in the ``ErrorCode`` enum, no internal setting named in a description."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

from ground.settings import Settings
from schema import build_schema
from schema.core.error_codes import API_ERROR_DESCRIPTIONS, ApiErrorCode
from tests.support.client import GraphQL

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("espace", "schema", "resolvers", "mailer", "models")
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{4,}$")
EMITTERS = {"error_response", "api_error", "GraphQLError", "_refuse", "refuse", "close"}

ERROR_CODE_ENUM = """
query { __type(name: "ErrorCode") { kind enumValues { name description } } }
"""
BAD_CURSOR_QUERY = """query { agencies(first: 1, after: "pas-un-curseur") { edges { cursor } } }"""


def graphql_schema() -> GraphQLSchema:
    return build_schema(Settings(debug=True))._schema


def described_elements(schema: GraphQLSchema) -> Iterator[tuple[str, str | None]]:
    """Every type, field, argument, input field and enum value, with its description."""
    for name, type_ in schema.type_map.items():
        if name.startswith("__"):
            continue
        yield name, type_.description
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                yield f"{name}.{field_name}", field.description
                for arg_name, arg in field.args.items():
                    yield f"{name}.{field_name}({arg_name}:)", arg.description
        if isinstance(type_, GraphQLInputObjectType):
            for field_name, input_field in type_.fields.items():
                yield f"{name}.{field_name}", input_field.description
        if isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                yield f"{name}.{value_name}", value.description


def test_every_schema_element_has_a_description() -> None:
    elements = list(described_elements(graphql_schema()))
    missing = [where for where, text in elements if not (text and text.strip())]
    assert len(elements) > 1400  # the walk really covers the schema
    assert missing == []


def _settings_names() -> re.Pattern[str]:
    names: set[str] = set()
    for field in Settings.model_fields:
        names.add(f"ESPACE_{field.upper()}")
        if "_" in field:  # one-word names (debug, demo…) are ordinary words
            head, *rest = field.split("_")
            names |= {field, head + "".join(word.title() for word in rest)}
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b", re.IGNORECASE)


def test_no_description_names_an_internal_setting() -> None:
    pattern = _settings_names()
    assert pattern.search("At most email_resend_per_hour times")  # the check can fail
    named = {
        where: pattern.findall(text)
        for where, text in described_elements(graphql_schema())
        if text and pattern.search(text)
    }
    assert named == {}


def emitted_codes(source: str) -> set[str]:
    """The code strings a module emits: ``{"code": "X"}``, ``extensions["code"] = "X"``,
    ``setdefault("code", "X")`` and string codes passed to an error helper."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _is_str(key, "code") and _code(value):
                    found.add(_code(value) or "")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _is_str(target.slice, "code"):
                    found.add(_code(node.value) or "")
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            name = node.func.id if isinstance(node.func, ast.Name) else name
            args = list(node.args)
            if name == "setdefault" and args and _is_str(args[0], "code"):
                found.add(_code(args[1]) or "")
            elif name in EMITTERS:
                found |= {c for c in map(_code, args) if c}
    return found - {""}


def _is_str(node: ast.expr | None, value: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == value


def _code(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
        return node.value
    return None


def test_the_scanner_finds_string_codes() -> None:
    source = """
error_response(400, "NEW_CODE_A", "message")
body = {"errors": [{"message": "m", "extensions": {"code": "NEW_CODE_B"}}]}
extensions["code"] = "NEW_CODE_C"
extensions.setdefault("code", "NEW_CODE_D")
raise api_error("NEW_CODE_E", "message")
GraphQLError("message", extensions={"code": "NEW_CODE_F"})
"""
    assert emitted_codes(source) == {f"NEW_CODE_{x}" for x in "ABCDEF"}


def test_every_code_the_code_base_emits_is_in_the_registry() -> None:
    known = {code.value for code in ApiErrorCode}
    unknown: dict[str, set[str]] = {}
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            codes = emitted_codes(path.read_text(encoding="utf-8")) - known
            if codes:
                unknown[str(path.relative_to(ROOT))] = codes
    assert unknown == {}, "add these codes to schema/core/error_codes.py (ApiErrorCode)"


def test_every_registered_code_has_a_description() -> None:
    assert set(API_ERROR_DESCRIPTIONS) == set(ApiErrorCode)
    announced = {  # the codes colleagues' features emit: in the enum from the start
        "PERSISTED_QUERY_NOT_FOUND",
        "PERSISTED_QUERY_HASH_MISMATCH",
        "DOCUMENT_NOT_TRUSTED",
        "SUBSCRIPTION_OVER_HTTP",
        "RESPONSE_TOO_LARGE",
        "TIMEOUT",
        "OVERLOADED",
        "POOL_TIMEOUT",
        "THROTTLED",
    }
    assert announced <= {code.value for code in ApiErrorCode}


async def test_error_codes_are_an_enum_of_the_schema(api: GraphQL) -> None:
    # Given a frontend reading the schema
    enum = (await api(ERROR_CODE_ENUM))["__type"]
    values = {v["name"]: v["description"] for v in enum["enumValues"]}
    # When the server refuses a request
    body = await api.raw(BAD_CURSOR_QUERY)
    code = body["errors"][0]["extensions"]["code"]
    # Then its code is a documented value of ErrorCode
    assert enum["kind"] == "ENUM"
    assert code == "BAD_CURSOR"
    assert "cursor" in values[code]
    assert set(values) == {c.value for c in ApiErrorCode}
    assert all(values.values())
