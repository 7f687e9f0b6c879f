"""How saved searches map to tables, for the compiled reads (``schema.core.compiled``)."""

from __future__ import annotations

from models.classeur import SavedOffer, SavedSearch
from models.identity import AccountKind
from schema.core.compiled.declare import Many, NodeId, Table, ToOne, Value

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

CLASSEUR_ENTRY = Table(
    SavedOffer,
    {"savedAt": Value(lambda t: t.created_at), "offer": ToOne(lambda t: t.offer_id)},
)

VIEWER_CLASSEUR = Many(
    "ClasseurEntry",
    key=lambda s: s.id,
    descending=True,
    gate=lambda v: v.kind == AccountKind.CANDIDAT.value,
)
"""``viewer.classeur``: a candidat's saved offers, newest first; empty for other accounts."""

TABLES = {"SavedSearch": SAVED_SEARCH, "ClasseurEntry": CLASSEUR_ENTRY}
