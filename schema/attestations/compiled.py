"""How attestations map to tables, for the compiled reads (``schema.core.compiled``): the
candidat's own, newest first, with their frozen title and statement (``facts``) and their
links (download, public verification page)."""

from __future__ import annotations

from models.attestations import Attestation
from models.identity import AccountKind
from resolvers.attestations.issue import VERIFY_PATH
from schema.attestations.types import DOWNLOAD_PATH
from schema.core.compiled.declare import Link, Many, NodeId, Table, Value

ATTESTATION = Table(
    Attestation,
    {
        "id": NodeId(),
        "kind": Value(lambda t: t.kind),
        "title": Value(lambda t: t.facts["title"].as_string()),
        "code": Value(lambda t: t.code),
        "issuedAt": Value(lambda t: t.created_at),
        "statement": Value(lambda t: t.facts["statement"].as_string()),
        "downloadUrl": Link(DOWNLOAD_PATH.format(id="{}")),
        "verificationUrl": Link(VERIFY_PATH.format(code="{}"), lambda t: t.code),
    },
)
# ``facts`` (label/value pairs of a JSON array) is left to the interpreter.

VIEWER_ATTESTATIONS = Many(
    "Attestation",
    key=lambda t: t.id,
    descending=True,
    gate=lambda v: v.kind == AccountKind.CANDIDAT.value,
)
"""``viewer.attestations``: a candidat's own, newest first; empty for other accounts."""

TABLES = {"Attestation": ATTESTATION}
