"""SQLAlchemy models, one module per domain. Importing this package registers them all."""

from models import dashboard, dossiers, identity, mail
from models.base import Base

__all__ = ["Base", "dashboard", "dossiers", "identity", "mail"]
