"""How GraphQL types map to tables, declared once per domain (``schema/<domain>/compiled.py``)
and read by the compiler (``schema.core.compiled.compiler``).

A field the declarations do not name is not compiled: a document that selects it runs
through the interpreter. The ownership filter of an owned table is
``resolvers.core.owners.owned_by``, the same predicate the interpreter's reads use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, BindParameter, ColumnElement, bindparam

from models.base import UTCDateTime

if TYPE_CHECKING:
    from schema.core.compiled.sqljson import JsonSql

Row = Any
"""An alias of a mapped class, standing for the row a field is read from."""
Expr = Callable[[Row], ColumnElement[Any]]


@dataclass(frozen=True, slots=True)
class Value:
    """A scalar or enum field read from the row; its GraphQL type decides how it is written
    (an enum is written by name, a Boolean as true/false)."""

    expr: Expr


@dataclass(frozen=True, slots=True)
class NodeId:
    """The Relay global ID of the row (``base64("<Type>:<id>")``), or of another type's row
    by a column of this one (``type_name`` and ``column``, e.g. an alert's dossierId)."""

    type_name: str | None = None
    column: Expr | None = None


@dataclass(frozen=True, slots=True)
class Embedded:
    """An object built from the same row (e.g. a dossier's capabilities)."""

    fields: Mapping[str, FieldMap]


@dataclass(frozen=True, slots=True)
class ToOne:
    """The row of another declared type by a foreign key of this row; null without one."""

    fk: Expr


@dataclass(frozen=True, slots=True)
class Many:
    """A Relay connection of rows of the node type, ordered by ``key`` (cursors encode it).

    ``link`` ties a child row to its parent row (None: only the owner filter); ``gate`` is
    a condition on the parent row without which the list is empty (e.g. a candidat).
    ``filters`` are the field's Boolean arguments besides paging: when one is true, its
    condition on the child row narrows the list (e.g. ``unreadOnly``). ``counts`` are Int
    fields of the connection: how many of the list's rows (filters aside) meet a condition
    (e.g. ``unreadCount``). ``latest`` names a String field of the connection: the cursor
    of the list's last row by key, on any page (``c:0`` when empty; e.g. the events'
    ``resumeCursor``). ``kinds``, when given, are the account kinds the compiled list
    answers for: a request by another kind runs through the interpreter (e.g. an employer's
    or an adviser's conversations, read by rules the declarations do not carry). ``order``,
    when given, sorts before the key (in the key's direction) while cursors still name the
    key alone: a page after a cursor starts past its row's (order, key), none when that row
    is not the owner's (e.g. payments by payment day, then id)."""

    node: str
    key: Callable[[Row], ColumnElement[Any]]
    descending: bool = False
    link: Callable[[Row, Row], ColumnElement[bool]] | None = None
    gate: Callable[[Row], ColumnElement[bool]] | None = None
    filters: Mapping[str, Callable[[Row], ColumnElement[bool]]] = field(default_factory=dict)
    counts: Mapping[str, Callable[[Row], ColumnElement[bool]]] = field(default_factory=dict)
    latest: str | None = None
    kinds: frozenset[str] | None = None
    order: Callable[[Row], ColumnElement[Any]] | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """An absolute link on the public URL, as ``Settings.link`` writes it: ``path`` with its
    ``{}`` replaced by the row's Relay global ID, or by ``column``'s value when given (e.g.
    a letter's download, an attestation's verification page); with ``absolute`` false, the
    path alone (e.g. a declaration's receipt)."""

    path: str
    column: Expr | None = None
    absolute: bool = True


@dataclass(frozen=True, slots=True)
class Computed:
    """A value computed in Python from row values, filled in by the post-pass
    (``schema.core.compiled.postpass``): ``build(runtime, *values)`` returns a plain
    strawberry object (data fields only), a list of them (a list field), a scalar for a
    scalar field (a string, an int, a JSON value), or None. The values must be hashable (a
    JSON column: its text) unless ``cache`` is off.

    ``json_args`` adds values built with the dialect's JSON functions (e.g. one-row
    subqueries as JSON objects), after ``args``. ``params`` are bound values the SQL needs
    at each request, from the runtime (e.g. its clock: tests drive it). Without ``cache``,
    the post-pass builds the value every time rather than keeping it per values (needed
    when the values hold JSON objects or an instant)."""

    args: tuple[Expr, ...]
    build: Callable[..., Any]
    json_args: Callable[[Row, JsonSql], Sequence[ColumnElement[Any]]] | None = None
    params: Callable[[Any], Mapping[str, Any]] | None = None
    cache: bool = True


@dataclass(frozen=True, slots=True)
class Counts:
    """An object of Int fields, each how many rows of ``model`` tied to this row (``link``
    of the child row and this one; with ``owned``, the owner filter too) meet its condition,
    read in one aggregate subquery (e.g. the dashboard's counts per service)."""

    model: type[Any]
    link: Callable[[Row, Row], ColumnElement[bool]]
    fields: Mapping[str, Callable[[Row], ColumnElement[bool]]]
    owned: bool = True


def viewer_id() -> ColumnElement[Any]:
    """The signed-in account's id, bound per request (the owner filter's own parameter), for
    conditions on the viewer's rows of another table (e.g. a conversation's read marker)."""
    return bindparam("account_id", type_=BigInteger)


def request_time() -> BindParameter[datetime]:
    """The time of the request (``models.base.utcnow``), bound per request, for conditions
    that change with time (e.g. a proposal past its deadline)."""
    return bindparam("now", type_=UTCDateTime())


FieldMap = Value | NodeId | Link | Embedded | ToOne | Many | Computed | Counts


@dataclass(frozen=True, slots=True)
class Table:
    """A GraphQL object type read from one table. With ``owned``, every row reached is
    filtered by ``owned_by(model, viewer)``."""

    model: type[Any]
    fields: Mapping[str, FieldMap] = field(default_factory=dict)
    owned: bool = True


Declarations = Mapping[str, Table]
"""GraphQL type name -> its table."""
