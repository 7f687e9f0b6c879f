"""Rows carried through the compiled statement as JSON, for ``declare.Computed`` builds that
reuse the interpreter's Python (e.g. the dashboard's sentences): a one-row subquery becomes a
JSON object of its columns, and Python rebuilds the model instance (transient, never added to
a session) with the values the ORM would have loaded.

Decimals are written as text (JSON numbers would lose their scale), JSON columns as nested
JSON, the rest as the database writes it in JSON (timestamps: SQLite's naive UTC text,
PostgreSQL's ISO text with an offset; both read back as aware UTC, as ``UTCDateTime``)."""

from __future__ import annotations

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

from schema.core.compiled.sqljson import JsonSql, Sql


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


def decode(type_: TypeEngine[Any], value: Any) -> Any:
    """A value of ``encode`` back as the ORM loads it."""
    base = _base(type_)
    if value is None:
        return None
    if isinstance(base, DateTime):  # SQLite's naive UTC text, or PostgreSQL's with offset
        at = datetime.fromisoformat(value)
        return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    if isinstance(base, Date):
        return date.fromisoformat(value)
    if isinstance(base, Boolean):
        return bool(value)
    if isinstance(base, Numeric) and not isinstance(base, Float):
        number = Decimal(value)
        return number.quantize(Decimal(1).scaleb(-base.scale)) if base.scale else number
    return value


def row_json(json: JsonSql, model: type[Any], rows: Select[Any]) -> Sql:
    """The first row of ``rows`` (a ``select(model)…limit(1)``) as a JSON object of the
    model's columns; null without one."""
    columns = [(p.key, encode(json, getattr(model, p.key))) for p in inspect(model).column_attrs]
    return json.embed(rows.with_only_columns(json.obj(columns)).scalar_subquery())


def row_from(model: type[Any], value: dict[str, Any] | None) -> Any:
    """The model instance of a ``row_json`` object (None for null)."""
    if value is None:
        return None
    attrs = inspect(model).column_attrs
    return model(**{p.key: decode(p.columns[0].type, value[p.key]) for p in attrs})
