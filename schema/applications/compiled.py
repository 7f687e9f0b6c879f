"""How applications map to tables, for the compiled reads (``schema.core.compiled``): the
candidat's own applications, newest first, with their offer as it is now (also a
proposal's and a classeur entry's offer)."""

from __future__ import annotations

from models.applications import Application
from models.identity import AccountKind
from models.offers import Offer
from schema.core.compiled.declare import Embedded, Many, NodeId, Table, ToOne, Value

APPLICATION = Table(
    Application,
    {
        "id": NodeId(),
        "status": Value(lambda t: t.status),
        "message": Value(lambda t: t.message),
        "submittedAt": Value(lambda t: t.created_at),
        "updatedAt": Value(lambda t: t.updated_at),
        "offer": ToOne(lambda t: t.offer_id),
    },
)

OFFER = Table(
    Offer,
    {
        "id": NodeId(),
        "number": Value(lambda t: t.number),
        "status": Value(lambda t: t.status),
        "intitule": Value(lambda t: t.intitule),
        "lieuTravail": Embedded(
            {
                "libelle": Value(lambda t: t.lieu_libelle),
                "communeInsee": Value(lambda t: t.commune_insee),
                "codePostal": Value(lambda t: t.postal_code),
            }
        ),
    },
    owned=False,  # shown to whoever applied, as it is now (the interpreter's OfferByIdLoader)
)

VIEWER_APPLICATIONS = Many(
    "Application",
    key=lambda a: a.id,
    descending=True,
    gate=lambda v: v.kind == AccountKind.CANDIDAT.value,
)
"""``viewer.applications``: a candidat's own, newest first; empty for other accounts."""

TABLES = {"Application": APPLICATION, "Offer": OFFER}
