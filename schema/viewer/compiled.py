"""How ``viewer`` maps to tables, for the compiled reads (``schema.core.compiled``): the
signed-in account's own row, and the lists it owns."""

from __future__ import annotations

from models.identity import Account, AccountKind
from schema.actualisation.compiled import VIEWER_ACTUALISATIONS
from schema.applications.compiled import VIEWER_APPLICATIONS
from schema.attestations.compiled import VIEWER_ATTESTATIONS
from schema.classeur.compiled import VIEWER_CLASSEUR
from schema.core.compiled.declare import Many, NodeId, Table, Value
from schema.dashboard.compiled import DASHBOARD
from schema.indemnisation.compiled import VIEWER_INDEMNISATION
from schema.letters.compiled import VIEWER_LETTERS
from schema.messages.compiled import VIEWER_CONVERSATIONS
from schema.proposals.compiled import VIEWER_PROPOSALS

VIEWER = Table(
    Account,
    {
        "id": NodeId(),
        "kind": Value(lambda t: t.kind),
        "identifiant": Value(lambda t: t.identifiant),
        "email": Value(lambda t: t.email),
        "displayName": Value(lambda t: t.display_name),
        "postalCode": Value(lambda t: t.postal_code),
        "applications": VIEWER_APPLICATIONS,
        "classeur": VIEWER_CLASSEUR,
        "letters": VIEWER_LETTERS,
        "attestations": VIEWER_ATTESTATIONS,
        "actualisations": VIEWER_ACTUALISATIONS,
        "indemnisation": VIEWER_INDEMNISATION,
        "dashboard": DASHBOARD,
        "proposals": VIEWER_PROPOSALS,
        "conversations": VIEWER_CONVERSATIONS,
        "dossiers": Many(
            "Dossier", key=lambda d: d.id, gate=lambda v: v.kind == AccountKind.CANDIDAT.value
        ),
    },
)

TABLES = {"Viewer": VIEWER}
ROOTS = {"viewer": "Viewer"}
"""Root fields answered from the viewer's own row (null when not signed in)."""
