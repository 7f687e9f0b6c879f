"""Look-ahead for the candidat's home: read what the ``viewer`` selection asks for, fetch the
first pages of those lists in one statement (``resolvers.viewer.pages``) and prime the
DataLoaders the field resolvers use.

The prefetch only fills caches under the keys the resolvers will ask for; it never decides
what they return. A selection it does not understand (fragments on other types, aliases
asking for other pages, a bad argument) simply leaves those keys to the loaders' own
batched queries, so results are the same with or without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from models.identity import AccountKind
from resolvers.viewer.pages import PageArgs, ViewerPages, ViewerPlan, viewer_pages
from schema.core.base import decode_cursor, page_size
from schema.core.context import Info

if TYPE_CHECKING:
    from schema.core.loaders import Loaders


def fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, fragments spread."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from fields(selection.selections)


def child(selections: Iterable[Selection], name: str) -> SelectedField | None:
    """The first field called ``name`` (its first alias when there are several)."""
    return next((f for f in fields(selections) if f.name == name), None)


def node_selections(connection: SelectedField) -> list[Selection]:
    """What a connection's ``edges { node { … } }`` asks of each node."""
    out: list[Selection] = []
    for edges in fields(connection.selections):
        if edges.name == "edges":
            for node in fields(edges.selections):
                if node.name == "node":
                    out += node.selections
    return out


def first_after(field: SelectedField) -> tuple[int | None, str | None]:
    """``first`` and ``after`` as the resolver receives them. The document is valid by now;
    strawberry hands literals over as their source text (``first: 5`` is ``"5"``) and
    variables as their coerced values."""
    arguments: dict[str, Any] = field.arguments
    first, after = arguments.get("first"), arguments.get("after")
    return (None if first is None else int(first)), (None if after is None else str(after))


def page_args(info: Info, connection: SelectedField | None) -> PageArgs | None:
    """The connection's cursor and page size, as its resolver will read them."""
    if connection is None:
        return None
    if connection.arguments.get("last") is not None or connection.arguments.get("before"):
        return None  # a backward page: its resolver reads it (schema.core.nested_loaders)
    first, after = first_after(connection)
    return PageArgs(decode_cursor(after), page_size(info, first))


def viewer_plan(info: Info, kind: str) -> ViewerPlan | None:
    """What to prefetch for the ``viewer`` field being resolved; None: nothing."""
    if kind != AccountKind.CANDIDAT:
        return None
    selections = [s for f in info.selected_fields for s in f.selections]
    dossiers = child(selections, "dossiers")
    nodes = node_selections(dossiers) if dossiers is not None else []
    applications = child(selections, "applications")
    offers = applications is not None and child(node_selections(applications), "offer")
    try:
        plan = ViewerPlan(
            dossiers=page_args(info, dossiers),
            cvs=page_args(info, child(nodes, "cvs")),
            alerts=page_args(info, child(nodes, "alerts")),
            applications=page_args(info, applications),
            offers=bool(offers),
        )
    except GraphQLError:  # a bad cursor or page size: the field resolver reports it
        return None
    return plan if plan.round_trips >= 2 else None  # one list alone: its own query is as good


@dataclass
class ViewerPrefetch:
    """Runs the plan once per request, whichever list resolver asks first."""

    account_id: int
    plan: ViewerPlan
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _done: bool = False

    async def ready(self, info: Info) -> None:
        async with self._lock:
            if self._done:
                return
            self._done = True
            found = await viewer_pages(info.context.read_session(), self.account_id, self.plan)
            prime(info.context.loaders, self.account_id, self.plan, found)


def prime(loaders: Loaders, account_id: int, plan: ViewerPlan, found: ViewerPages) -> None:
    """Fill the loaders' caches under the keys the field resolvers will use."""
    if plan.dossiers is not None and found.dossiers is not None:
        key = (account_id, plan.dossiers.after, plan.dossiers.limit)
        loaders.dossier_page_by_account.prime(key, found.dossiers)
    if plan.cvs is not None:
        cvs = plan.cvs
        for dossier_id, page in found.cvs.items():
            loaders.cv_page_by_dossier.prime((account_id, dossier_id, cvs.after, cvs.limit), page)
            loaders.cv_counts_by_cv_id.prime_many({cv.id: (e, d) for cv, e, d in page[0]})
    if plan.alerts is not None:
        alerts = plan.alerts
        for dossier_id, views in found.alerts.items():
            key4 = (account_id, dossier_id, alerts.after, alerts.limit)
            loaders.alert_page_by_dossier.prime(key4, views)
    if plan.applications is not None and found.applications is not None:
        key = (account_id, plan.applications.after, plan.applications.limit)
        loaders.application_page_by_account.prime(key, found.applications)
        loaders.offer_by_id.prime_many(found.offers)
