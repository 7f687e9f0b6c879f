"""How the tableau de bord maps to tables, for the compiled reads (``schema.core.compiled``):
``viewer.dashboard`` is built from the viewer's own row, its counts and its event log.

Each part is the interpreter's own SQL or Python: the counts per service are one aggregate
of the account's events since the last visit (as ``resolvers.dashboard.summary``), the unread
messages ``unread_count_select`` of the reader the account is (its kind decides, in SQL), the
pending proposals ``pending_count_select``; an event's sentence, subject ID and cursor are
computed by the post-pass with the functions ``DashboardEvent.from_model`` calls.

``COUNT_FIELDS`` holds these fields; « Mon dossier de demandeur d'emploi » and « Mes
actions » are declared apart (``schema.dashboard.compiled_file.FILE_FIELDS``) and merged
into ``DASHBOARD``."""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import ColumnElement, Text, and_, case, or_
from sqlalchemy import cast as sql_cast
from strawberry.utils.str_converters import to_camel_case

from models.dashboard import SERVICE_OF, Event, EventKind, Service
from models.identity import AccountKind
from resolvers.messages.conversations import Reader
from resolvers.messages.queries import unread_count_select
from resolvers.proposals.reads import pending_count_select
from schema.core.base import encode_cursor
from schema.core.compiled.declare import (
    Computed,
    Counts,
    Embedded,
    FieldMap,
    Many,
    NodeId,
    Row,
    Table,
    Value,
    request_time,
)
from schema.dashboard.compiled_file import FILE_FIELDS
from schema.dashboard.events import event_message, subject_global_id


def _kinds(service: Service) -> list[str]:
    return [kind.value for kind, of in SERVICE_OF.items() if of == service]


def _of_kinds(kinds: list[str]) -> Any:
    return lambda e: e.kind.in_(kinds)


SERVICE_COUNTS = Counts(
    Event,
    # Since the last visit; every event before the first one.
    link=lambda e, v: or_(v.last_visit_at.is_(None), e.occurred_at > v.last_visit_at),
    fields={to_camel_case(s.value): _of_kinds(_kinds(s)) for s in Service},
)
"""``Dashboard.newSinceLastVisit``: the account's events since its last visit, per service."""


def _unread(v: Row) -> ColumnElement[Any]:
    """The account's unread messages as the reader it is (``Reader.of``): a candidat's and an
    employer's own conversations, an adviser's agency's; nobody else reads any."""

    def count(kind: AccountKind, agency: Any = None) -> Any:
        reader = Reader(cast(int, v.id), kind.value, agency)
        return unread_count_select(reader).correlate(v).scalar_subquery()

    return case(
        (v.kind == AccountKind.CANDIDAT.value, count(AccountKind.CANDIDAT)),
        (v.kind == AccountKind.EMPLOYEUR.value, count(AccountKind.EMPLOYEUR)),
        (
            and_(v.kind == AccountKind.CONSEILLER.value, v.agency_id.is_not(None)),
            count(AccountKind.CONSEILLER, v.agency_id),
        ),
        else_=0,
    )


def _pending(v: Row) -> ColumnElement[Any]:
    now = request_time()  # bound per request (reads.bind)
    return pending_count_select(cast(int, v.id), now).correlate(v).scalar_subquery()


def _message(_runtime: Any, kind: str, payload: str) -> str:
    return event_message(EventKind(kind), json.loads(payload))


def _payload(_runtime: Any, payload: str) -> Any:
    return json.loads(payload)


def _subject(_runtime: Any, subject_type: str | None, subject_id: int | None) -> str | None:
    return subject_global_id(subject_type, subject_id)


def _cursor(_runtime: Any, event_id: int) -> str:
    return encode_cursor(event_id)


def _payload_text(e: Row) -> ColumnElement[Any]:
    # A JSON column's text: hashable, and read back by json.loads as the interpreter's
    # driver reads it.
    return sql_cast(e.payload, Text)


EVENT = Table(
    Event,
    {
        "id": NodeId(),
        "kind": Value(lambda e: e.kind),
        "service": Value(
            lambda e: case({k.value: s.value for k, s in SERVICE_OF.items()}, value=e.kind)
        ),
        "occurredAt": Value(lambda e: e.occurred_at),
        "message": Computed((lambda e: e.kind, _payload_text), _message),
        "payload": Computed((_payload_text,), _payload),
        "subjectType": Value(lambda e: e.subject_type),
        "subjectId": Computed((lambda e: e.subject_type, lambda e: e.subject_id), _subject),
        "cursor": Computed((lambda e: e.id,), _cursor),
    },
)

EVENTS = Many("DashboardEvent", key=lambda e: e.id, descending=True, latest="resumeCursor")
"""``Dashboard.events``: the account's own, newest first (every account kind has some)."""

COUNT_FIELDS: dict[str, FieldMap] = {
    "lastVisitAt": Value(lambda v: v.last_visit_at),
    "newSinceLastVisit": SERVICE_COUNTS,
    "unreadMessages": Value(_unread),
    "pendingProposals": Value(_pending),
    "events": EVENTS,
}
"""The dashboard's fields read from the viewer's row: the counts and the event log."""

DASHBOARD = Embedded({**COUNT_FIELDS, **FILE_FIELDS})
"""``viewer.dashboard``."""

TABLES = {"DashboardEvent": EVENT}
