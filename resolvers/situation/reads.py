"""Reading changes of situation: a candidat reads their own; an adviser reads those of the
candidats registered at their agency; anyone else reads nothing (NOT_FOUND by ID)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.identity import Account, AccountKind
from models.registration import Registration
from models.situation import SituationChange
from resolvers.core.owners import owned_by


def changes_select(reader: Account) -> Select[SituationChange]:
    """The changes the reader may see (keyset-paged by id)."""
    stmt = select(SituationChange)
    if reader.kind == AccountKind.CANDIDAT:
        return stmt.where(owned_by(SituationChange, reader.id))
    if reader.kind == AccountKind.CONSEILLER and reader.agency_id is not None:
        agency_accounts = select(Registration.account_id).where(
            Registration.agency_id == reader.agency_id
        )
        return stmt.where(SituationChange.account_id.in_(agency_accounts))
    return stmt.where(SituationChange.id.is_(None))


async def changes_by_ids(
    session: AsyncSession, reader: Account, ids: Sequence[int]
) -> dict[int, SituationChange]:
    """The changes among ``ids`` the reader may see; the others are simply absent."""
    if not ids:
        return {}
    rows = await session.scalars(changes_select(reader).where(SituationChange.id.in_(ids)))
    return {row.id: row for row in rows.all()}
