"""The first pages of a candidat's home in one statement: the dossiers, each dossier's CVs
(with their experience and formation counts) and alerts, and the applications with their
offers (``resolvers.page_union``).

The nested lists belong to the dossiers of the requested page only: their select filters on
that page as a subquery, so nothing depends on a first round trip. ``schema.prefetch``
decides what to ask from the GraphQL selection and primes the DataLoaders with the result;
the same rows come from the loaders' own queries when there is no prefetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from models.alerts import Alert
from models.applications import Application
from models.cvs import Cv
from models.dossiers import Dossier
from models.offers import Offer
from resolvers.alerts import AlertView, alert_views, alerts_select
from resolvers.applications import candidate_applications_select
from resolvers.cvs import CvRow, cvs_select
from resolvers.dossiers import dossiers_select
from resolvers.page_union import Part, pages_at_once


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
    def empty(self) -> bool:
        return self.dossiers is None and self.applications is None


@dataclass
class ViewerPages:
    """What ``viewer_pages`` found, as the loaders of each list return it."""

    dossiers: tuple[list[Dossier], bool] | None = None
    cvs: dict[int, tuple[list[CvRow], bool]] = field(default_factory=dict)
    alerts: dict[int, tuple[list[AlertView], bool]] = field(default_factory=dict)
    applications: tuple[list[Application], bool] | None = None
    offers: dict[int, Offer | None] = field(default_factory=dict)


def _page_ids(account_id: int, page: PageArgs) -> Select[tuple[int]]:
    """The ids of the dossiers on the page (the look-ahead row excluded)."""
    stmt = dossiers_select(account_id, page.after).with_only_columns(Dossier.id)
    return stmt.order_by(Dossier.id).limit(page.limit)


def _parts(account_id: int, plan: ViewerPlan) -> dict[str, Part]:
    parts: dict[str, Part] = {}
    if plan.dossiers is not None:
        page = plan.dossiers
        stmt: Select[Any] = dossiers_select(account_id, page.after)
        parts["dossiers"] = Part(stmt, (Dossier,), Dossier.account_id, Dossier.id, page.limit)
        ids = _page_ids(account_id, page)
        if plan.cvs is not None:
            stmt = cvs_select(account_id, ids, plan.cvs.after)
            parts["cvs"] = Part(stmt, (Cv,), Cv.dossier_id, Cv.id, plan.cvs.limit)
        if plan.alerts is not None:
            stmt = alerts_select(account_id, ids, plan.alerts.after)
            parts["alerts"] = Part(stmt, (Alert,), Alert.dossier_id, Alert.id, plan.alerts.limit)
    if plan.applications is not None:
        page = plan.applications
        stmt = candidate_applications_select(account_id, page.after, plan.offers)
        entities: tuple[type[Any], ...] = (Application, Offer) if plan.offers else (Application,)
        order = Application.id.desc()
        parts["applications"] = Part(stmt, entities, Application.account_id, order, page.limit)
    return parts


async def viewer_pages(session: AsyncSession, account_id: int, plan: ViewerPlan) -> ViewerPages:
    """The pages the plan asks for, in one statement (none for an empty plan)."""
    found = ViewerPages()
    parts = _parts(account_id, plan)
    if not parts:
        return found
    pages = await pages_at_once(session, parts)
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
