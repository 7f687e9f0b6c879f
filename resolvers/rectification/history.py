"""Reading the history of personal-data changes: the candidat's own page, and the plain
list the data export (RGPD art. 15 and 20) includes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.privacy_log import PersonalDataChange
from resolvers.rectification.audit import LABELS

EXPORT_MAX = 100_000  # a bound on one account's history in the export


def changes_select(account_id: int) -> Select[PersonalDataChange]:
    """The account's changes (keyset-paged by id, newest first)."""
    return select(PersonalDataChange).where(PersonalDataChange.account_id == account_id)


async def changes_by_ids(
    session: AsyncSession, account_id: int, ids: Sequence[int]
) -> dict[int, PersonalDataChange]:
    """The account's changes among ``ids`` (others' are simply absent)."""
    wanted = [i for i in ids if 0 < i < 2**63]
    if not wanted:
        return {}
    stmt = changes_select(account_id).where(PersonalDataChange.id.in_(wanted))
    return {row.id: row for row in await session.scalars(stmt)}


def label_of(field: str) -> str:
    """The field's French name, e.g. « Prénom »."""
    return LABELS.get(field, field)


async def export_personal_data_changes(
    session: AsyncSession, account_id: int
) -> list[dict[str, Any]]:
    """Every change to the account's personal data, oldest first, as JSON-ready dicts (the
    export's « historique des rectifications »). IBANs are only ever stored masked."""
    stmt = changes_select(account_id).order_by(PersonalDataChange.id).limit(EXPORT_MAX)
    return [
        {
            "date": row.at.isoformat(),
            "auteur": row.actor,
            "objet": row.subject,
            "objetNom": row.subject_name,
            "champ": row.field,
            "libelle": label_of(row.field),
            "ancienneValeur": row.old_value,
            "nouvelleValeur": row.new_value,
        }
        for row in await session.scalars(stmt)
    ]
