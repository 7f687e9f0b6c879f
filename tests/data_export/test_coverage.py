"""The export covers the whole schema: every table with a column that refers to an account,
or to a row the account owns (through any chain of foreign keys), is in the export's
declarations (``resolvers.data_export.parts``) or in the one list of tables left out, with
the reason (``resolvers.data_export.excluded``). A new table without either fails here."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, MetaData, Table, Text

import models
from resolvers.data_export.collect import exported_columns, omitted, table_of
from resolvers.data_export.declarations import Owned, StoredFile, Via
from resolvers.data_export.excluded import EXCLUDED
from resolvers.data_export.glossary import GLOSSARY
from resolvers.data_export.parts import DOMAINS, parts_by_table
from resolvers.data_export.readme import readme
from tests.support.metadata import about_accounts


def uncovered(metadata: MetaData) -> list[str]:
    declared = set(parts_by_table()) | set(EXCLUDED)
    return sorted(about_accounts(metadata) - declared)


def test_every_table_about_an_account_is_exported_or_left_out_with_a_reason() -> None:
    assert uncovered(models.Base.metadata) == []


def test_a_new_table_without_a_declaration_fails() -> None:
    # Given the schema plus a table referring to a CV (owned by an account), and a table
    # referring to that one
    metadata = MetaData()
    for table in models.Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table(
        "cv_notes",
        metadata,
        Column("id", BigInteger, primary_key=True),
        Column("cv_id", ForeignKey("cvs.id")),
        Column("note", Text),
    )
    Table(
        "cv_note_likes",
        metadata,
        Column("id", BigInteger, primary_key=True),
        Column("note_id", ForeignKey("cv_notes.id")),
    )
    # Then both are reported
    assert uncovered(metadata) == ["cv_note_likes", "cv_notes"]


def test_declarations_are_consistent() -> None:
    parts = parts_by_table()
    every = [p.table for d in DOMAINS for p in d.tables]
    assert len(every) == len(set(every)), "a table is exported twice"
    assert set(parts).isdisjoint(EXCLUDED), "a table is both exported and left out"
    for name, reason in EXCLUDED.items():
        assert name in models.Base.metadata.tables, name
        assert len(reason) > 20, name
    for part in parts.values():
        table = table_of(part.table)
        owner = part.owner
        assert owner.column in table.c, (part.table, owner.column)
        if isinstance(owner, Via):
            # the parent is exported, and the column really refers to it
            assert owner.parent in parts, (part.table, owner.parent)
            targets = {fk.column.table.name for fk in table.c[owner.column].foreign_keys}
            assert owner.parent in targets, (part.table, owner.column)
        if isinstance(owner, Owned) and part.table != "accounts":
            targets = {fk.column.table.name for fk in table.c[owner.column].foreign_keys}
            assert targets == {"accounts"}, (part.table, owner.column)
        for column in omitted(part):
            assert column in table.c, (part.table, column)
        if isinstance(part.files, StoredFile):
            assert part.files.key in table.c and part.files.name in table.c, part.table


def test_every_exported_field_is_described_in_french_in_the_readme() -> None:
    text = readme()
    for domain in DOMAINS:
        assert f"`donnees/{domain.file}`" in text
        for part in domain.tables:
            assert f"### Table `{part.table}`" in text
            for column in exported_columns(part):
                assert column in part.fields or column in GLOSSARY, (part.table, column)
    for name in EXCLUDED:
        assert f"- `{name}` : " in text
    assert "(voir la description de la table)" not in text
