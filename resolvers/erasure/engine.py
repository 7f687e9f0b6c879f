"""Erase one account by the registry (``resolvers.erasure.tables``), in the caller's
transaction: the rows are deleted or overwritten table by table, children first, and the
storage keys of the files to remove are returned (removed once the transaction commits)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Table, and_, delete, false, func, or_, select, text
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import Base
from models.dossiers import Dossier, EmailConfirmation
from models.identity import Account
from models.registration import Registration
from resolvers.erasure.tables import ERASURE_TABLES, NOW, Action, TableRule


def table_of(name: str) -> Table:
    table = Base.metadata.tables[name]
    assert isinstance(table, Table)
    return table


def owned_by(table: Table, path: tuple[str, ...], account_id: int) -> ColumnElement[bool]:
    """Rows of ``table`` whose foreign-key path leads to the account."""
    column = table.c[path[0]]
    [fk] = column.foreign_keys
    target = fk.column
    if len(path) == 1:
        assert target.table.name == "accounts", (table.name, path)
        return column == account_id
    parent = target.table
    assert isinstance(parent, Table)
    return column.in_(select(target).where(owned_by(parent, path[1:], account_id)))


def rows_of(rule: TableRule, account_id: int, names: set[str]) -> ColumnElement[bool]:
    table = table_of(rule.table)
    if rule.table == "accounts":
        return table.c.id == account_id
    conditions = [owned_by(table, path, account_id) for path in rule.owners]
    conditions += [func.lower(table.c[col]).in_(sorted(names)) for col in rule.matches]
    return or_(*conditions) if conditions else false()


async def identifiers(session: AsyncSession, account_id: int) -> set[str]:
    """The person's identifiant and every e-mail address the product holds for them (lower
    case): the sign-in address, the dossiers', the registration's, the confirmations'."""
    account = await session.get(Account, account_id)
    found = {account.identifiant, account.email} if account is not None else set()
    for stmt in (
        select(Dossier.email).where(Dossier.account_id == account_id),
        select(Registration.email).where(Registration.account_id == account_id),
        select(EmailConfirmation.email)
        .join(Dossier, Dossier.id == EmailConfirmation.dossier_id)
        .where(Dossier.account_id == account_id),
    ):
        found.update((await session.scalars(stmt)).all())
    return {value.lower() for value in found if value}


async def erase_rows(session: AsyncSession, account_id: int, now: datetime) -> list[str]:
    """Apply every rule of the registry to the account; returns the storage keys to remove."""
    names = await identifiers(session, account_id)
    keys: list[str] = []
    for rule in ERASURE_TABLES:
        if rule.action == Action.NOT_THEIRS:
            continue
        table = table_of(rule.table)
        mine = rows_of(rule, account_id, names)
        for column in rule.files:
            found = await session.scalars(select(table.c[column]).where(mine))
            keys += [key for key in found.all() if key]
        if rule.action == Action.DELETE:
            await session.execute(delete(table).where(mine))
            continue
        if rule.keep_when is not None:
            await session.execute(delete(table).where(mine, text(f"NOT ({rule.keep_when})")))
            mine = and_(mine, text(f"({rule.keep_when})"))
        if rule.values:
            values = {
                k: now if isinstance(v, str) and v == NOW else v for k, v in rule.values.items()
            }
            await session.execute(sql_update(table).where(mine).values(**values))
    return keys
