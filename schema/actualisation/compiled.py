"""How declarations map to tables, for the compiled reads (``schema.core.compiled``): « Consulter
les périodes d'actualisation », the candidat's own, newest first.

Left to the interpreter: ``periodLabel`` and ``registeredSentence`` (French month names and
Paris time, formatted in Python), ``answers`` (the statements rebuilt from JSON) and
``versions`` (a batched loader); a document selecting them runs there."""

from __future__ import annotations

from models.actualisation import Actualisation
from models.identity import AccountKind
from schema.actualisation.types import RECEIPT_PATH
from schema.core.compiled.declare import Link, Many, NodeId, Table, Value

ACTUALISATION = Table(
    Actualisation,
    {
        "id": NodeId(),
        "period": Value(lambda t: t.period),
        "number": Value(lambda t: t.number),
        "version": Value(lambda t: t.version),
        "firstSubmittedAt": Value(lambda t: t.first_submitted_at),
        "submittedAt": Value(lambda t: t.submitted_at),
        "receiptUrl": Link(RECEIPT_PATH.format(id="{}"), absolute=False),
    },
)

VIEWER_ACTUALISATIONS = Many(
    "Actualisation",
    key=lambda t: t.id,
    descending=True,
    gate=lambda v: v.kind == AccountKind.CANDIDAT.value,
)
"""``viewer.actualisations``: a candidat's declarations, newest first; empty for others."""

TABLES = {"Actualisation": ACTUALISATION}
