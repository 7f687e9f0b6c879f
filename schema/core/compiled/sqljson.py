"""The JSON functions of each database, behind one small interface: PostgreSQL's
``json_build_object``/``json_agg`` (``json``, not ``jsonb``, keeps the key order) and
SQLite's ``json_object``/``json_group_array``. Base64 is PostgreSQL's ``encode`` and, on
SQLite, the ``espace_b64``/``espace_b64url`` functions that ``ground.db`` registers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, ColumnElement, String, case, cast, func, literal, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by

Sql = ColumnElement[Any]


def _key(name: str) -> Sql:
    # Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): safe to write inline.
    assert name.replace("_", "a").isalnum() and not name[0].isdigit(), name
    return literal_column(f"'{name}'")


class JsonSql:
    """Builds JSON values for one dialect (``postgresql`` or ``sqlite``)."""

    def __init__(self, dialect: str) -> None:
        if dialect not in ("postgresql", "sqlite"):
            raise ValueError(dialect)
        self.pg = dialect == "postgresql"

    def obj(self, pairs: Sequence[tuple[str, Sql]]) -> Sql:
        args: list[Any] = []
        for name, value in pairs:
            args += [_key(name), value]
        return func.json_build_object(*args) if self.pg else func.json_object(*args)

    def array(self, values: Sequence[Sql]) -> Sql:
        return func.json_build_array(*values) if self.pg else func.json_array(*values)

    def embed(self, json_value: Sql) -> Sql:
        """A JSON value coming out of a subquery (SQLite forgets there that it is JSON)."""
        return json_value if self.pg else func.json(json_value)

    def agg(self, value: Sql, *order: Sql) -> Sql:
        """The JSON array of ``value`` over the rows of an ordered subquery (``[]`` when
        there are none)."""
        if self.pg:
            ordered = func.json_agg(aggregate_order_by(value, *order))
            return func.coalesce(ordered, literal_column("'[]'::json"))
        return func.json_group_array(func.json(value))

    def boolean(self, condition: Sql) -> Sql:
        if self.pg:
            return cast(condition, Boolean)
        text = case((condition, literal("true")), (~condition, literal("false")), else_=None)
        return func.json(text)

    def text(self, value: str) -> Sql:
        return literal(value, String)

    def b64(self, text: Sql) -> Sql:
        """Standard base64 with padding (Relay global IDs)."""
        if self.pg:
            return func.encode(func.convert_to(text, literal_column("'UTF8'")), "base64")
        return func.espace_b64(text)

    def b64url(self, text: Sql) -> Sql:
        """URL-safe base64 without padding (our page cursors)."""
        if self.pg:
            plain = func.encode(func.convert_to(text, literal_column("'UTF8'")), "base64")
            return func.rtrim(func.translate(plain, "+/", "-_"), "=")
        return func.espace_b64url(text)

    def concat(self, prefix: str, value: Sql) -> Sql:
        return literal(prefix, String) + cast(value, String)

    def datetime(self, value: Sql) -> Sql:
        """A UTC timestamp as ``schema.core.scalars.serialize_datetime`` writes it (ISO 8601,
        microseconds only when not zero, ``+00:00``); null stays null."""
        if self.pg:
            utc = func.timezone("UTC", value)
            micro = func.to_char(utc, "US")
            whole = func.to_char(utc, literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS'"))
        else:
            # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) on SQLite.
            micro = func.substr(value, 21, 6)
            whole = func.replace(func.substr(value, 1, 19), " ", "T")
        fraction = case((micro.in_(["", "000000"]), literal("")), else_=literal(".") + micro)
        return whole + fraction + literal("+00:00")
