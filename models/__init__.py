"""SQLAlchemy models, one module per domain. Importing this package registers them all."""

from models import (
    alerts,
    applications,
    classeur,
    cvs,
    dashboard,
    dossiers,
    identity,
    mail,
    messages,
    offers,
    proposals,
)
from models.base import Base

__all__ = [
    "Base",
    "alerts",
    "applications",
    "classeur",
    "cvs",
    "dashboard",
    "dossiers",
    "identity",
    "mail",
    "messages",
    "offers",
    "proposals",
]
