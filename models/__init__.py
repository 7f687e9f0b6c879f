"""SQLAlchemy models, one module per domain. Importing this package registers them all."""

from models import alerts, classeur, cvs, dashboard, dossiers, identity, mail, offers
from models.base import Base

__all__ = [
    "Base",
    "alerts",
    "classeur",
    "cvs",
    "dashboard",
    "dossiers",
    "identity",
    "mail",
    "offers",
]
