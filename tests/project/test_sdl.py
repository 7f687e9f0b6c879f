"""The committed SDL and the example operations stay in step with the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from ground.settings import Settings
from schema import build_schema

ROOT = Path(__file__).resolve().parents[2]
SDL = ROOT / "graphql" / "schema.graphql"
OPERATIONS = sorted((ROOT / "graphql" / "operations").glob("*.graphql"))


def printed_schema() -> str:
    return build_schema(Settings(debug=True)).as_str() + "\n"


def test_committed_sdl_is_up_to_date() -> None:
    assert SDL.read_text(encoding="utf-8") == printed_schema(), (
        "graphql/schema.graphql is stale: run `.venv/bin/espace schema export`"
    )


def test_graphql_folder_holds_only_graphql_files() -> None:
    for path in (ROOT / "graphql").rglob("*"):
        assert path.is_dir() or path.suffix == ".graphql", path


def test_there_are_example_operations() -> None:
    assert len(OPERATIONS) >= 5


@pytest.mark.parametrize("path", OPERATIONS, ids=[p.name for p in OPERATIONS])
def test_example_operation_is_valid(path: Path) -> None:
    schema = build_schema(Settings(debug=True))._schema
    errors = validate(schema, parse(path.read_text(encoding="utf-8")))
    assert errors == [], [e.message for e in errors]


def test_every_field_has_a_description() -> None:
    schema = build_schema(Settings(debug=True))._schema
    missing = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or not hasattr(graphql_type, "fields"):
            continue
        if not graphql_type.description:
            missing.append(name)
        for field_name, field in graphql_type.fields.items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == []
