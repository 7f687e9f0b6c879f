"""The erasure registry covers the schema: every table that refers to an account, directly
or through an object an account owns, has an entry, and every column of it that refers to
accounts is either a path to the erased person or declared as someone else's."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

import models
from resolvers.erasure.engine import table_of
from resolvers.erasure.tables import ERASURE_TABLES, RULES_BY_TABLE, Action
from tests.support.metadata import about_accounts


def test_every_table_referring_to_accounts_has_an_entry() -> None:
    missing = sorted(about_accounts() - RULES_BY_TABLE.keys())
    assert missing == [], f"add these tables to resolvers/erasure/tables.py: {missing}"


def test_every_column_referring_to_accounts_is_declared() -> None:
    undeclared = []
    for name, rules in RULES_BY_TABLE.items():
        table = table_of(name)
        declared = {col for rule in rules for col in rule.others}
        declared |= {path[0] for rule in rules for path in rule.owners}
        for column in table.columns:
            to_accounts = any(fk.column.table.name == "accounts" for fk in column.foreign_keys)
            if to_accounts and column.name not in declared:
                undeclared.append(f"{name}.{column.name}")
    assert undeclared == []


def test_every_entry_is_a_table_and_its_paths_lead_to_accounts() -> None:
    for rule in ERASURE_TABLES:
        table = table_of(rule.table)
        for path in rule.owners:
            current: Table = table
            for step in path:
                [fk] = current.c[step].foreign_keys
                parent = fk.column.table
                assert isinstance(parent, Table)
                current = parent
            assert current.name == "accounts", (rule.table, path)
        for column in (*rule.matches, *rule.values, *rule.files):
            assert column in table.c, (rule.table, column)
        if rule.action == Action.KEEP_MINIMAL:
            assert rule.legal, f"{rule.table}: a kept table names its legal source"
        if rule.action != Action.NOT_THEIRS and rule.table != "accounts":
            assert rule.owners or rule.matches, rule.table
        assert rule.why


def test_a_new_table_without_an_entry_fails() -> None:
    # Given a table that refers to an owned object (a CV), but no registry entry
    meta = MetaData()
    for table in models.Base.metadata.tables.values():
        table.to_metadata(meta)
    Table(
        "cv_notes",
        meta,
        Column("id", Integer, primary_key=True),
        Column("cv_id", ForeignKey("cvs.id")),
    )
    # Then the walk finds it, and it is missing from the registry
    assert "cv_notes" in about_accounts(meta) - RULES_BY_TABLE.keys()
