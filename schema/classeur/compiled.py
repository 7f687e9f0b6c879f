"""How saved searches map to tables, for the compiled reads (``schema.core.compiled``)."""

from __future__ import annotations

from models.classeur import SavedSearch
from schema.core.compiled.declare import Many, NodeId, Table, Value

SAVED_SEARCH = Table(
    SavedSearch,
    {
        "id": NodeId(),
        "name": Value(lambda t: t.name),
        "createdAt": Value(lambda t: t.created_at),
        "updatedAt": Value(lambda t: t.updated_at),
        "dossierId": NodeId("Dossier", lambda t: t.dossier_id),
    },
)

DOSSIER_SAVED_SEARCHES = Many(
    "SavedSearch", key=lambda s: s.id, link=lambda s, d: s.dossier_id == d.id
)
"""``Dossier.savedSearches``, oldest first."""

TABLES = {"SavedSearch": SAVED_SEARCH}
