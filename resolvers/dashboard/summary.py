"""The tableau de bord in one statement: the counts since the last visit (per service), the
unread messages, the pending proposals, the first page of the event log, « Mon dossier de
demandeur d'emploi » (``resolvers.dashboard.file_parts``) and what « Mes actions » needs of
the dossiers (``resolvers.dashboard.actions``).

The counts are one aggregate row (no GROUP BY: ``count(CASE WHEN kind IN (…) THEN 1 END)``
per service), the unread messages and pending proposals scalar subqueries of the messages
and proposals domains, and the events page is LEFT JOINed to that single row, so an account
without events still gets its counts. The unemployment file adds scalar columns and one-row
derived tables (the registration, the last declaration and payment, the next appointment),
LEFT JOINed ON true before the events page, so the page's row count is unchanged.
``schema.dashboard.prefetch`` decides which parts to ask for from the GraphQL selection.

Like ``resolvers.core.page_union``, the statement is built once per shape (which parts, which
optional filters) with named bound parameters, then run with each request's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    bindparam,
    case,
    func,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.dashboard import SERVICE_OF, Event, Service
from resolvers.core.owners import owned_by
from resolvers.dashboard.actions import DossierContact, dossier_contacts_column, read_contacts
from resolvers.dashboard.file_parts import (
    ENTITY_MODELS,
    SCALARS,
    FileSummary,
    file_params,
    one_row_parts,
    read_file,
    scalar_columns,
)
from resolvers.messages.conversations import Reader
from resolvers.messages.queries import unread_count_select
from resolvers.proposals.reads import pending_count_select

EventsPage = tuple[list[Event], bool]
EventsKey = tuple[int | None, int]  # (before id, page size)
FileAsk = tuple[datetime, timedelta]  # (now, how long before an appointment one may confirm)


@dataclass(frozen=True, slots=True)
class Summary:
    """What ``dashboard_summary`` found; None for the parts not asked for."""

    counts: dict[Service, int] | None
    unread: int | None
    pending: int | None
    events: EventsPage | None
    file: FileSummary | None = None
    contacts: list[DossierContact] | None = None


@dataclass(frozen=True, slots=True)
class _Shape:
    counts: bool
    since: bool  # counts since a visit, rather than of every event
    unread: str | None  # the reader's kind, when the unread messages are asked
    unread_agency: bool  # that reader has an agency (advisers)
    pending: bool
    events: bool
    events_before: bool
    file: bool = False
    contacts: bool = False


def _service_counts(account: BindParameter[int], since: bool) -> list[ColumnElement[Any]]:
    """The columns of one aggregate row: how many events each service had since ``since``."""
    kinds: dict[Service, list[str]] = {s: [] for s in Service}
    for kind, service in SERVICE_OF.items():
        kinds[service].append(kind.value)
    stmt = select(
        *[
            func.count(case((Event.kind.in_(kinds[s]), 1))).label(f"count_{s.value}")
            for s in Service
        ]
    ).where(owned_by(Event, account))
    if since:
        stmt = stmt.where(Event.occurred_at > bindparam("since", type_=DateTime(timezone=True)))
    return list(stmt.subquery("counts").c)


@lru_cache(maxsize=64)
def _prepared(shape: _Shape) -> tuple[Select[*tuple[Any, ...]], int]:
    """The statement of a shape and how many scalar columns come before the entities (the
    file's one-row entities, then the event's); built once (a memo of a pure function of the
    models)."""
    account: BindParameter[int] = bindparam("account_id")
    head = _service_counts(account, shape.since) if shape.counts else []
    if shape.unread is not None:
        # The reader's values are bound parameters too; its kind and whether it has an
        # agency decide the SQL, and are part of the shape.
        agency: BindParameter[int] | None = None
        if shape.unread_agency:
            agency = bindparam("reader_agency")
        reader = Reader(cast(int, account), shape.unread, cast(int | None, agency))
        head.append(unread_count_select(reader).scalar_subquery().label("unread"))
    if shape.pending:
        now = bindparam("now", type_=DateTime(timezone=True))
        head.append(pending_count_select(account, now).scalar_subquery().label("pending"))
    if shape.file:
        head += scalar_columns(account)
    if shape.contacts:
        head.append(dossier_contacts_column(account))
    stmt: Select[*tuple[Any, ...]] = select(*head)
    joined: list[Any] = []
    entities: list[Any] = []
    if shape.file:
        for part, model in zip(one_row_parts(account), ENTITY_MODELS, strict=True):
            joined.append(part)
            entities.append(aliased(model, part))
    page: Any = None
    if shape.events:
        rows = bindparam("events_rows", type_=Integer)
        events = select(Event).where(owned_by(Event, account))
        if shape.events_before:
            events = events.where(Event.id < bindparam("events_before"))
        page = events.order_by(Event.id.desc()).limit(rows).subquery("page")
        joined.append(page)
        entities.append(aliased(Event, page))
    if joined and head:
        top = stmt.subquery("head")
        source: Any = top
        for part in joined:
            source = source.outerjoin(part, true())
        stmt = select(top, *entities).select_from(source)
    elif joined:
        stmt = select(*entities)
    if page is not None:
        stmt = stmt.order_by(page.c.id.desc())
    return stmt, len(head)


async def dashboard_summary(
    session: AsyncSession,
    account_id: int,
    *,
    since: datetime | None,
    counts: bool,
    reader: Reader | None,
    pending: bool,
    events: EventsKey | None,
    now: datetime,
    file: FileAsk | None = None,
    contacts: bool = False,
) -> Summary:
    """The parts asked for, in one statement: the counts since ``since`` (everything when
    never visited), the unread messages of ``reader`` (the account itself), the proposals
    pending at ``now``, one page of events (newest first, before the cursor), the
    unemployment file at ``file``'s instant (its own clock), and the dossiers' contacts."""
    shape = _Shape(
        counts=counts,
        since=since is not None,
        unread=reader.kind if reader is not None else None,
        unread_agency=reader is not None and reader.agency_id is not None,
        pending=pending,
        events=events is not None,
        events_before=events is not None and events[0] is not None,
        file=file is not None,
        contacts=contacts,
    )
    stmt, width = _prepared(shape)
    if width == 0 and events is None:
        return Summary(None, None, None, None)
    params: dict[str, Any] = {"account_id": account_id}
    if since is not None:
        params["since"] = since
    if pending:
        params["now"] = now
    if reader is not None and reader.agency_id is not None:
        params["reader_agency"] = reader.agency_id
    if events is not None:
        params["events_rows"] = events[1] + 1
        if events[0] is not None:
            params["events_before"] = events[0]
    if file is not None:
        params.update(file_params(*file))
    rows = (await session.execute(stmt, params)).all()
    values = list(rows[0][:width]) if rows else []
    found_counts = None
    if counts:
        found_counts = {s: int(values.pop(0) or 0) for s in Service}
    unread = int(values.pop(0) or 0) if reader is not None else None
    waiting = int(values.pop(0) or 0) if pending else None
    at = width
    found_file = None
    if file is not None:
        scalars = [values.pop(0) for _ in SCALARS]
        entities = list(rows[0][at : at + len(ENTITY_MODELS)])
        found_file = read_file(scalars, entities, file[0])
        at += len(ENTITY_MODELS)
    found_contacts = read_contacts(values.pop(0)) if contacts else None
    page: EventsPage | None = None
    if events is not None:
        found = [r[at] for r in rows if r[at] is not None]
        page = (found[: events[1]], len(found) > events[1])
    return Summary(found_counts, unread, waiting, page, found_file, found_contacts)
