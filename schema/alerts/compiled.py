"""How alerts map to tables, for the compiled reads (``schema.core.compiled``): a dossier's
alerts, their status from the dossier's e-mail state (as ``resolvers.alerts.views``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, or_, select
from sqlalchemy.orm import aliased

from models.alerts import Alert
from models.dossiers import Dossier
from schema.core.compiled.declare import Many, NodeId, Table, Value


def _dossier_value(t: Any, value: Any) -> ColumnElement[Any]:
    """A value of the alert's dossier (a correlated subquery)."""
    dossier = aliased(Dossier)
    return select(value(dossier)).where(dossier.id == t.dossier_id).scalar_subquery()


def _status(d: Any) -> ColumnElement[str]:
    suspended = or_(d.email.is_(None), d.email_confirmed_at.is_(None))
    return case((suspended, "SUSPENDED"), else_="ACTIVE")


ALERT = Table(
    Alert,
    {
        "id": NodeId(),
        "name": Value(lambda t: t.name),
        "frequency": Value(lambda t: t.frequency),
        "status": Value(lambda t: _dossier_value(t, _status)),
        "email": Value(lambda t: _dossier_value(t, lambda d: d.email)),
        "createdAt": Value(lambda t: t.created_at),
        "updatedAt": Value(lambda t: t.updated_at),
        "lastSentAt": Value(lambda t: t.last_sent_at),
        "dossierId": NodeId("Dossier", lambda t: t.dossier_id),
    },
)

DOSSIER_ALERTS = Many("Alert", key=lambda a: a.id, link=lambda a, d: a.dossier_id == d.id)
"""``Dossier.alerts``, oldest first."""

TABLES = {"Alert": ALERT}
