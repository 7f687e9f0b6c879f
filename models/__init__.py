"""SQLAlchemy models, one module per domain. Importing this package registers them all."""

from models import classeur, dashboard, dossiers, identity, mail, offers
from models.base import Base

__all__ = ["Base", "classeur", "dashboard", "dossiers", "identity", "mail", "offers"]
