"""Reading what an export holds: the SQL that selects the account's rows of a declared
table (``Owned``, ``Via`` a parent table, ``Addressed`` to its e-mail addresses), and the
account's addresses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import Base
from models.dossiers import Dossier
from models.identity import Account
from models.registration import Registration
from resolvers.data_export.declarations import (
    OMITTED_EVERYWHERE,
    Addressed,
    Owned,
    TablePart,
    Via,
)


def table_of(name: str) -> Table:
    return Base.metadata.tables[name]


def owned_rows(
    part: TablePart, parts: Mapping[str, TablePart], account_id: int, addresses: list[str]
) -> ColumnElement[bool]:
    """The condition that selects the account's rows of ``part``'s table."""
    table = table_of(part.table)
    owner = part.owner
    if isinstance(owner, Owned):
        return table.c[owner.column] == account_id
    if isinstance(owner, Via):
        parent = table_of(owner.parent)
        inner = owned_rows(parts[owner.parent], parts, account_id, addresses)
        return table.c[owner.column].in_(select(parent.c.id).where(inner))
    assert isinstance(owner, Addressed)
    if not addresses:
        return false()
    condition: ColumnElement[bool] = func.lower(table.c[owner.column]).in_(addresses)
    if owner.skip_templates:
        condition = condition & table.c.template.not_in(owner.skip_templates)
    return condition


def rows_select(
    part: TablePart, parts: Mapping[str, TablePart], account_id: int, addresses: list[str]
) -> Select[Any]:
    table = table_of(part.table)
    where = owned_rows(part, parts, account_id, addresses)
    return select(table).where(where).order_by(*table.primary_key.columns)


def omitted(part: TablePart) -> dict[str, str]:
    """The columns of the table left out of the export, with why."""
    names = {c.name for c in table_of(part.table).columns}
    every = {k: v for k, v in OMITTED_EVERYWHERE.items() if k in names}
    return {**every, **part.omit}


def exported_columns(part: TablePart) -> list[str]:
    left_out = omitted(part)
    return [c.name for c in table_of(part.table).columns if c.name not in left_out]


async def account_addresses(session: AsyncSession, account: Account) -> list[str]:
    """Every address that is the account's: its sign-in e-mail, its dossiers' confirmed
    ones and its registration's (lowercase)."""
    found = {account.email} if account.email else set()
    found.update(
        await session.scalars(
            select(Dossier.email).where(
                Dossier.account_id == account.id,
                Dossier.email.is_not(None),
                Dossier.email_confirmed_at.is_not(None),
            )
        )
    )
    found.update(
        await session.scalars(
            select(Registration.email).where(
                Registration.account_id == account.id, Registration.email.is_not(None)
            )
        )
    )
    return sorted({a.lower() for a in found if a})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not exportable: {type(value).__name__}")


def to_json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=_plain)
