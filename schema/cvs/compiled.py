"""How CVs map to tables, for the compiled reads (``schema.core.compiled``): a dossier's CVs
as their owner sees them (``Audience.OWNER``; the owner filter is ``owned_by``)."""

from __future__ import annotations

from models.cvs import Cv
from schema.core.compiled.declare import Many, NodeId, Table, Value

CV = Table(
    Cv,
    {
        "id": NodeId(),
        "title": Value(lambda t: t.title),
        "visibility": Value(lambda t: t.visibility),
        "summary": Value(lambda t: t.summary),
        "publishedAt": Value(lambda t: t.published_at),
        "createdAt": Value(lambda t: t.created_at),
        "updatedAt": Value(lambda t: t.updated_at),
    },
)

DOSSIER_CVS = Many("Cv", key=lambda c: c.id, link=lambda c, d: c.dossier_id == d.id)
"""``Dossier.cvs``, oldest first."""

TABLES = {"Cv": CV}
