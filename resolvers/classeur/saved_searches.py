"""Saved search criteria: named sets of criteria per dossier, re-run without retyping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import utcnow
from models.classeur import SavedSearch
from models.identity import Account
from refdata import ReferenceData
from resolvers.classeur.saved_offers import require_candidat
from resolvers.core.errors import DomainError, ErrorCode, ErrorCollector
from resolvers.core.owners import owned_by
from resolvers.core.paging import KeysetPage, Window, keyset_page, windows_per_group
from resolvers.core.validation import clean_text
from resolvers.dossiers.manage import owned_dossier
from resolvers.offers.criteria import OfferCriteria, collect_criteria

MAX_ID = 2**63 - 1
MAX_PER_DOSSIER = 20


def not_found() -> DomainError:
    return DomainError.single("id", ErrorCode.NOT_FOUND, "Cette recherche est introuvable.")


async def _check_name(
    session: AsyncSession,
    errors: ErrorCollector,
    dossier_id: int,
    name: str | None,
    own_id: int | None = None,
) -> str | None:
    text = clean_text(errors, "name", name, label="Nom de la recherche", max_len=60, required=True)
    if text is None:
        return None
    stmt = select(SavedSearch.id).where(
        SavedSearch.dossier_id == dossier_id, SavedSearch.name == text
    )
    if own_id is not None:
        stmt = stmt.where(SavedSearch.id != own_id)
    if await session.scalar(stmt) is not None:
        errors.add("name", ErrorCode.DUPLICATE, "Ce dossier a déjà une recherche de ce nom.")
    return text


async def create_saved_search(
    session: AsyncSession,
    ref: ReferenceData,
    account: Account,
    dossier_id: int,
    name: str | None,
    criteria: OfferCriteria,
) -> SavedSearch:
    require_candidat(account)
    dossier = await owned_dossier(session, account.id, dossier_id, "dossierId")
    errors = ErrorCollector()
    text = await _check_name(session, errors, dossier.id, name)
    checked = collect_criteria(ref, errors, criteria)
    count = await session.scalar(
        select(func.count()).select_from(SavedSearch).where(SavedSearch.dossier_id == dossier.id)
    )
    if (count or 0) >= MAX_PER_DOSSIER:
        errors.add(None, ErrorCode.TOO_LONG, f"{MAX_PER_DOSSIER} recherches par dossier au plus.")
    errors.raise_if_any()
    assert text is not None and checked is not None
    row = SavedSearch(
        account_id=account.id, dossier_id=dossier.id, name=text, criteria=checked.to_json()
    )
    session.add(row)
    await session.flush()
    return row


async def owned_search(session: AsyncSession, account_id: int, search_id: int) -> SavedSearch:
    row = await session.scalar(
        select(SavedSearch).where(
            SavedSearch.id == min(search_id, MAX_ID), SavedSearch.account_id == account_id
        )
    )
    if row is None:
        raise not_found()
    return row


async def update_saved_search(
    session: AsyncSession,
    ref: ReferenceData,
    account: Account,
    search_id: int,
    changes: dict[str, Any],
) -> SavedSearch:
    """Rename it or replace its criteria (omitted ones stay)."""
    require_candidat(account)
    row = await owned_search(session, account.id, search_id)
    errors = ErrorCollector()
    name = row.name
    if "name" in changes:
        name = await _check_name(session, errors, row.dossier_id, changes["name"], row.id) or ""
    checked = None
    if changes.get("criteria") is not None:
        checked = collect_criteria(ref, errors, changes["criteria"])
    errors.raise_if_any()
    row.name = name
    if checked is not None:
        row.criteria = checked.to_json()
    row.updated_at = utcnow()
    await session.flush()
    return row


async def delete_saved_search(session: AsyncSession, account: Account, search_id: int) -> int:
    require_candidat(account)
    row = await owned_search(session, account.id, search_id)
    await session.delete(row)
    await session.flush()
    return search_id


def saved_searches_select(account_id: int) -> Select[SavedSearch]:
    """The account's saved searches (callers filter the dossier and page them by id)."""
    return select(SavedSearch).where(owned_by(SavedSearch, account_id))


async def saved_searches_page(
    session: AsyncSession, account_id: int, dossier_id: int, window: Window
) -> KeysetPage:
    """Oldest first: a dossier's saved searches."""
    stmt = saved_searches_select(account_id).where(SavedSearch.dossier_id == dossier_id)
    return await keyset_page(session, stmt, SavedSearch.id, False, window)


async def saved_search_windows(
    session: AsyncSession, account_id: int, dossier_ids: Sequence[int], window: Window
) -> dict[int, KeysetPage]:
    """Any window of each dossier's saved searches (oldest first), in one statement."""
    stmt = saved_searches_select(account_id).where(SavedSearch.dossier_id.in_(dossier_ids))
    return await windows_per_group(
        session,
        stmt,
        SavedSearch,
        SavedSearch.dossier_id,
        SavedSearch.id,
        False,
        dossier_ids,
        window,
    )


async def saved_searches_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, SavedSearch]:
    wanted = [i for i in ids if 0 < i <= MAX_ID]
    if not wanted:
        return {}
    rows = await session.scalars(
        select(SavedSearch).where(SavedSearch.id.in_(wanted), SavedSearch.account_id == account_id)
    )
    return {r.id: r for r in rows.all()}
