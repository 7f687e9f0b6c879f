"""Reading alerts: the alert with its dossier's e-mail state (AlertView), pages per dossier,
batches for the DataLoaders, matches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.alerts import Alert, AlertMatch
from models.dossiers import Dossier
from resolvers.core.page_union import Param
from resolvers.core.paging import KeysetPage, Window, first_per_group, windows_per_group

if TYPE_CHECKING:
    pass
from resolvers.alerts.manage import MAX_ID
from resolvers.core.owners import owned_by


@dataclass(frozen=True, slots=True)
class AlertView:
    """An alert with the state of its dossier's e-mail (where it is sent, and whether the
    alert is suspended)."""

    alert: Alert
    email: str | None
    suspended: bool


def _viewed() -> Select[Alert, str | None, datetime | None]:
    return select(Alert, Dossier.email, Dossier.email_confirmed_at).join(
        Dossier, Dossier.id == Alert.dossier_id
    )


ViewRow = tuple[Alert, str | None, datetime | None] | Row[Alert, str | None, datetime | None]


def _view(row: ViewRow) -> AlertView:
    alert, email, confirmed = row
    return AlertView(alert, email, email is None or confirmed is None)


async def alert_view(session: AsyncSession, alert: Alert) -> AlertView:
    row = (await session.execute(_viewed().where(Alert.id == alert.id))).one()
    return _view(row)


def alerts_select(
    account_id: Param, dossiers: Sequence[int] | Select[int], after_id: Param | None
) -> Select[Alert, str | None, datetime | None]:
    """The account's alerts in ``dossiers`` (ids, or a select of ids) after ``after_id``,
    with their dossier's e-mail state (rows for ``alert_views``)."""
    stmt = _viewed().where(owned_by(Alert, account_id), Alert.dossier_id.in_(dossiers))
    if after_id is not None:
        stmt = stmt.where(Alert.id > after_id)
    return stmt


def alert_views(rows: Sequence[ViewRow]) -> list[AlertView]:
    return [_view(row) for row in rows]


async def alerts_pages(
    session: AsyncSession,
    account_id: int,
    dossier_ids: Sequence[int],
    after_id: int | None,
    limit: int,
) -> dict[int, tuple[list[AlertView], bool]]:
    """Oldest first: one page of alerts for each dossier, in one statement."""
    stmt = alerts_select(account_id, dossier_ids, after_id)
    pages = await first_per_group(
        session, stmt, Alert, Alert.dossier_id, Alert.id, dossier_ids, limit
    )
    return {dossier: (alert_views(rows), more) for dossier, (rows, more) in pages.items()}


async def alert_windows(
    session: AsyncSession, account_id: int, dossier_ids: Sequence[int], window: Window
) -> dict[int, KeysetPage]:
    """Any window of each dossier's alerts (oldest first), in one statement."""
    stmt = alerts_select(account_id, dossier_ids, None)
    pages = await windows_per_group(
        session, stmt, Alert, Alert.dossier_id, Alert.id, False, dossier_ids, window
    )
    return {
        dossier: KeysetPage(alert_views(page.rows), page.has_next, page.has_previous)
        for dossier, page in pages.items()
    }


def account_alerts(account_id: int) -> Select[Alert]:
    """The account's alerts (``totalCount`` of each dossier's list groups them)."""
    return select(Alert).where(owned_by(Alert, account_id))


async def alerts_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, AlertView]:
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    rows = await session.execute(
        _viewed().where(Alert.id.in_(wanted), Alert.account_id == account_id)
    )
    return {view.alert.id: view for view in map(_view, rows.all())}


async def match_windows(
    session: AsyncSession, _account_id: int, alert_ids: Sequence[int], window: Window
) -> dict[int, KeysetPage]:
    """Newest first: any window of the offers each alert matched, in one statement (the
    alerts are already checked to be the viewer's)."""
    stmt = select(AlertMatch).where(AlertMatch.alert_id.in_(alert_ids))
    return await windows_per_group(
        session, stmt, AlertMatch, AlertMatch.alert_id, AlertMatch.id, True, alert_ids, window
    )


def all_matches(_account_id: int) -> Select[AlertMatch]:
    """Every match (``totalCount`` groups them by alert, already checked)."""
    return select(AlertMatch)
