"""The SQLAlchemy metadata as the data-rights guards read it (issue 14)."""

from __future__ import annotations

from sqlalchemy import MetaData

import models


def about_accounts(metadata: MetaData = models.Base.metadata) -> set[str]:
    """``accounts`` and every table that refers to it, or to a table that does, through any
    chain of foreign keys (to a fixed point): the tables that may hold a person's data."""
    related = {"accounts"}
    grew = True
    while grew:
        grew = False
        for table in metadata.tables.values():
            if table.name not in related and any(
                fk.column.table.name in related for fk in table.foreign_keys
            ):
                related.add(table.name)
                grew = True
    return related
