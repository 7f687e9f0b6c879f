"""Attestations: documents a candidat asks for, each with a public verification code.

``facts`` is the snapshot the document was made from (what the PDF says and what the public
verification page confirms); the code is random and unique, printed on the PDF and in its QR.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin


class AttestationKind(StrEnum):
    """The attestations the service issues."""

    SITUATION = "SITUATION"
    HISTORIQUE_INSCRIPTIONS = "HISTORIQUE_INSCRIPTIONS"
    PERIODES_INDEMNISEES = "PERIODES_INDEMNISEES"
    FISCALE = "FISCALE"
    DERNIER_PAIEMENT = "DERNIER_PAIEMENT"
    CAISSE_RETRAITE = "CAISSE_RETRAITE"


class Attestation(IdMixin, CreatedMixin, Base):
    """One issued attestation."""

    __tablename__ = "attestations"
    __table_args__ = (Index("ix_attestations_account_id_id", "account_id", "id"),)

    account_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
