"""Job-search dossiers (DRE), agencies and e-mail confirmation tokens."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class Agency(IdMixin, CreatedMixin, Base):
    """An agency ("mon pôle emploi"), managed by advisers."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(5))
    commune_insee: Mapped[str] = mapped_column(String(5))


class Dossier(IdMixin, CreatedMixin, Base):
    """A dossier de recherche d'emploi (DRE) of a candidat."""

    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    civilite: Mapped[str] = mapped_column(String(8))
    nom: Mapped[str] = mapped_column(String(100))
    prenom: Mapped[str] = mapped_column(String(100))
    pays: Mapped[str] = mapped_column(String(2), default="FR")
    adresse: Mapped[str] = mapped_column(String(200))
    complement1: Mapped[str | None] = mapped_column(String(100))
    complement2: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(10))
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    commune_name: Mapped[str] = mapped_column(String(100))
    acheminement: Mapped[str | None] = mapped_column(String(100))
    phone_mobile: Mapped[str | None] = mapped_column(String(20))
    phone_fixe: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    email_confirmed_at: Mapped[datetime | None]
    registered: Mapped[bool] = mapped_column(default=False)
    registered_identifiant: Mapped[str | None] = mapped_column(String(8))
    agency_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("agencies.id", ondelete="SET NULL")
    )
    birth_date: Mapped[date]
    situation: Mapped[str] = mapped_column(String(40))
    qualification: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class EmailConfirmation(IdMixin, CreatedMixin, Base):
    """The two links of a confirmation mail: confirm, or report "this is not my address"."""

    __tablename__ = "email_confirmations"

    dossier_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    confirm_hash: Mapped[str] = mapped_column(String(64), unique=True)
    report_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
