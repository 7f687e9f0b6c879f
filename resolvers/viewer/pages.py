"""The first pages of a candidat's home in one statement: the dossiers, each dossier's CVs
(with their experience and formation counts) and alerts, and the applications with their
offers (``resolvers.core.page_union``).

The nested lists belong to the dossiers of the requested page only: their select filters on
that page as a subquery, so nothing depends on a first round trip. ``schema.viewer.prefetch``
decides what to ask from the GraphQL selection and primes the DataLoaders with the result;
the same rows come from the loaders' own queries when there is no prefetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, Integer, Select, bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from models.alerts import Alert
from models.applications import Application
from models.cvs import Cv
from models.dossiers import Dossier
from models.offers import Offer
from resolvers.alerts.views import AlertView, alert_views, alerts_select
from resolvers.applications.reads import candidate_applications_select
from resolvers.core.page_union import PagesAtOnce, Part
from resolvers.cvs.reads import CvRow, cvs_select
from resolvers.dossiers.manage import dossiers_select


@dataclass(frozen=True, slots=True)
class PageArgs:
    """A cursor (exclusive) and a page size."""

    after: int | None
    limit: int


@dataclass(frozen=True, slots=True)
class ViewerPlan:
    """Which first pages to fetch; None: that list is not asked for."""

    dossiers: PageArgs | None = None
    cvs: PageArgs | None = None  # of each dossier of the dossiers page
    alerts: PageArgs | None = None  # of each dossier of the dossiers page
    applications: PageArgs | None = None
    offers: bool = False  # the offer of each application of the page

    @property
    def round_trips(self) -> int:
        """The statements the loaders would take for what the plan covers."""
        return len(_pages(self)) + int(self.applications is not None and self.offers)


@dataclass
class ViewerPages:
    """What ``viewer_pages`` found, as the loaders of each list return it."""

    dossiers: tuple[list[Dossier], bool] | None = None
    cvs: dict[int, tuple[list[CvRow], bool]] = field(default_factory=dict)
    alerts: dict[int, tuple[list[AlertView], bool]] = field(default_factory=dict)
    applications: tuple[list[Application], bool] | None = None
    offers: dict[int, Offer | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the statement depends on: which lists, and which have a cursor."""

    lists: tuple[str, ...]
    cursors: tuple[str, ...]
    offers: bool


def _pages(plan: ViewerPlan) -> dict[str, PageArgs]:
    """The lists of the plan by part name (the nested ones only under a dossiers page)."""
    pages = {"dossiers": plan.dossiers, "applications": plan.applications}
    if plan.dossiers is not None:
        pages |= {"cvs": plan.cvs, "alerts": plan.alerts}
    return {name: page for name, page in pages.items() if page is not None}


@lru_cache(maxsize=64)
def _prepared(shape: _Shape) -> PagesAtOnce:
    """The statement of a shape, built once: every value is a named bound parameter. (A
    memo of a pure function of the models, like SQLAlchemy's own compiled cache.)"""
    account: BindParameter[int] = bindparam("account_id")
    after: dict[str, BindParameter[int]] = {n: bindparam(f"{n}_after") for n in shape.cursors}
    parts: dict[str, Part] = {}
    if "dossiers" in shape.lists:
        stmt: Select[*tuple[Any, ...]] = dossiers_select(account, after.get("dossiers"))
        parts["dossiers"] = Part(stmt, (Dossier,), Dossier.account_id, Dossier.id)
        # The nested lists belong to the dossiers on the page (not its look-ahead row).
        ids = stmt.with_only_columns(Dossier.id).order_by(Dossier.id)
        ids = ids.limit(bindparam("dossiers_limit", type_=Integer))
        if "cvs" in shape.lists:
            stmt = cvs_select(account, ids, after.get("cvs"))
            parts["cvs"] = Part(stmt, (Cv,), Cv.dossier_id, Cv.id)
        if "alerts" in shape.lists:
            stmt = alerts_select(account, ids, after.get("alerts"))
            parts["alerts"] = Part(stmt, (Alert,), Alert.dossier_id, Alert.id)
    if "applications" in shape.lists:
        stmt = candidate_applications_select(account, after.get("applications"), shape.offers)
        entities: tuple[type[Any], ...] = (Application, Offer) if shape.offers else (Application,)
        parts["applications"] = Part(stmt, entities, Application.account_id, Application.id.desc())
    return PagesAtOnce(parts)


async def viewer_pages(session: AsyncSession, account_id: int, plan: ViewerPlan) -> ViewerPages:
    """The pages the plan asks for, in one statement (none for an empty plan)."""
    found = ViewerPages()
    lists = _pages(plan)
    if not lists:
        return found
    cursors = {name: page.after for name, page in lists.items() if page.after is not None}
    offers = plan.applications is not None and plan.offers
    shape = _Shape(tuple(lists), tuple(cursors), offers)
    params: dict[str, Any] = {"account_id": account_id}
    params |= {f"{name}_after": after for name, after in cursors.items()}
    if plan.dossiers is not None:
        params["dossiers_limit"] = plan.dossiers.limit
    limits = {name: page.limit for name, page in lists.items()}
    pages = await _prepared(shape).run(session, limits, params)
    if plan.dossiers is not None:
        dossiers, more = pages["dossiers"].get(account_id, ([], False))
        found.dossiers = (list(dossiers), more)
        for dossier in dossiers:
            if plan.cvs is not None:
                rows, more = pages["cvs"].get(dossier.id, ([], False))
                found.cvs[dossier.id] = ([(cv, e, d) for cv, e, d in rows], more)
            if plan.alerts is not None:
                rows, more = pages["alerts"].get(dossier.id, ([], False))
                found.alerts[dossier.id] = (alert_views(rows), more)
    if plan.applications is not None:
        rows, more = pages["applications"].get(account_id, ([], False))
        if plan.offers:
            found.applications = ([a for a, _o in rows], more)
            found.offers = {a.offer_id: o for a, o in rows}
        else:
            found.applications = (list(rows), more)
    return found
