"""Rows carried through the compiled statement as JSON, for ``declare.Computed`` builds that
reuse the interpreter's Python (e.g. the dashboard's sentences): a one-row subquery becomes a
JSON object of its columns, and Python rebuilds the model instance (transient, never added to
a session) with the values the ORM would have loaded.

Decimals are written as text (JSON numbers would lose their scale), JSON columns as nested
JSON, the rest as the database writes it in JSON (timestamps: SQLite's naive UTC text,
PostgreSQL's ISO text with an offset; both read back as aware UTC, as ``UTCDateTime``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Numeric,
    Select,
    String,
    TypeDecorator,
    cast,
    inspect,
)
from sqlalchemy.types import TypeEngine

from schema.core.compiled.collect import NotCompilable
from schema.core.compiled.sqljson import JsonSql, Sql

MAX_COLUMNS = 50  # PostgreSQL's json_build_object takes at most 100 arguments


def _base(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def encode(json: JsonSql, column: Sql) -> Sql:
    """One column's value in its JSON form (see the module's docstring)."""
    base = _base(column.type)
    if isinstance(base, Numeric) and not isinstance(base, Float):
        return cast(column, String)
    if isinstance(base, JSON):
        return json.embed(column)
    return column


def decoder(type_: TypeEngine[Any]) -> Callable[[Any], Any]:
    """How a value of ``encode`` comes back as the ORM loads it (None stays None)."""
    base = _base(type_)
    if isinstance(base, DateTime):
        return _utc  # SQLite's naive UTC text, or PostgreSQL's with an offset
    if isinstance(base, Date):
        return date.fromisoformat
    if isinstance(base, Boolean):
        return bool
    if isinstance(base, Numeric) and not isinstance(base, Float):
        scale = Decimal(1).scaleb(-base.scale) if base.scale else None
        return lambda v: Decimal(v).quantize(scale) if scale else Decimal(v)
    return _same


def decode(type_: TypeEngine[Any], value: Any) -> Any:
    return None if value is None else decoder(type_)(value)


def _utc(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _same(value: Any) -> Any:
    return value


def row_json(json: JsonSql, model: type[Any], rows: Select[Any]) -> Sql:
    """The first row of ``rows`` (a ``select(model)…limit(1)``) as a JSON object of the
    model's columns; null without one."""
    columns = [(p.key, encode(json, getattr(model, p.key))) for p in inspect(model).column_attrs]
    if len(columns) > MAX_COLUMNS:
        raise NotCompilable(f"{model.__name__}: {len(columns)} columns")
    return json.embed(rows.with_only_columns(json.obj(columns)).scalar_subquery())


_COLUMNS: dict[type[Any], tuple[tuple[str, Callable[[Any], Any]], ...]] = {}


def _columns(model: type[Any]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    found = _COLUMNS.get(model)
    if found is None:
        attrs = inspect(model).column_attrs
        found = _COLUMNS[model] = tuple((p.key, decoder(p.columns[0].type)) for p in attrs)
    return found


def row_from(model: type[Any], value: dict[str, Any] | None) -> Any:
    """The ``model`` instance of a ``row_json`` object (None for null): transient, its
    columns set as a load sets them (without the attribute events, which cost more than the
    rest of the post-pass), so that the interpreter's functions read it as their own."""
    if value is None:
        return None
    found = inspect(model).class_manager.new_instance()
    found.__dict__.update(
        {key: None if value[key] is None else made(value[key]) for key, made in _columns(model)}
    )
    return found
