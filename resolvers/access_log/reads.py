"""Reading the access log: the candidat's page with who saw what (one statement per page),
the export's plain list, and the retention cut-off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.dossiers import Agency
from models.identity import Account
from models.offers import Company
from models.privacy_log import AccessLogEntry
from resolvers.core.paging import KeysetPage, Window, cut, windowed

EXPORT_MAX = 100_000  # a bound on one account's log in the export


@dataclass(frozen=True, slots=True)
class Seen:
    """One entry with the names of who saw: the company (employer) or the adviser and
    their agency; all null once that account is gone."""

    entry: AccessLogEntry
    company: str | None
    person: str | None
    agency: str | None


def log_select(account_id: int) -> Select[AccessLogEntry]:
    """The candidat's entries (keyset-paged by id, newest first)."""
    return select(AccessLogEntry).where(AccessLogEntry.account_id == account_id)


def _named(account_id: int) -> Select[AccessLogEntry, str, str | None, str]:
    company = func.coalesce(Company.name, Account.display_name)
    return (
        select(AccessLogEntry, company, Account.display_name, Agency.name)
        .outerjoin(Account, Account.id == AccessLogEntry.viewer_id)
        .outerjoin(Company, Company.account_id == AccessLogEntry.viewer_id)
        .outerjoin(Agency, Agency.id == Account.agency_id)
        .where(AccessLogEntry.account_id == account_id)
    )


async def log_page(session: AsyncSession, account_id: int, window: Window) -> KeysetPage:
    """One page of ``Seen``, newest first, in one statement."""
    rows = (
        await session.execute(windowed(_named(account_id), AccessLogEntry.id, True, window))
    ).all()
    page = cut(rows, window)
    seen = [Seen(e, c, p, a) for e, c, p, a in page.rows]
    return KeysetPage(seen, has_next=page.has_next, has_previous=page.has_previous)


async def seen_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, Seen]:
    """The account's entries among ``ids`` with their names (others' are simply absent)."""
    wanted = [i for i in ids if 0 < i < 2**63]
    if not wanted:
        return {}
    stmt = _named(account_id).where(AccessLogEntry.id.in_(wanted))
    return {e.id: Seen(e, c, p, a) for e, c, p, a in (await session.execute(stmt)).all()}


async def export_access_log(session: AsyncSession, account_id: int) -> list[dict[str, Any]]:
    """The whole log of the account, oldest first, as JSON-ready dicts (for the export)."""
    stmt = _named(account_id).order_by(AccessLogEntry.id).limit(EXPORT_MAX)
    return [
        {
            "date": e.at.isoformat(),
            "quoi": e.kind,
            "qui": e.viewer_kind,
            "entreprise": c if e.viewer_kind == "employeur" else None,
            "conseiller": p if e.viewer_kind == "conseiller" else None,
            "agence": a if e.viewer_kind == "conseiller" else None,
        }
        for e, c, p, a in (await session.execute(stmt)).all()
    ]


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Entries before this are past their retention period."""
    return now - timedelta(days=days)
