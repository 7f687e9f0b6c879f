"""Employers' companies and job offers (vocabulary of France Travail's "Offres d'emploi v2").

Full-text search is backend-specific and lives outside these models (``migrations/versions/
0002_offers.py``): on SQLite an FTS5 table ``offers_fts`` indexes ``search_title`` and
``search_body`` (French stems computed by ``resolvers.offers.text``) through triggers; on
PostgreSQL a generated ``search_vector`` tsvector (French configuration, unaccent) with a GIN
index, and ``search_title``/``search_body`` stay NULL.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin, utcnow


class OfferStatus(StrEnum):
    """DRAFT -> PUBLISHED <-> PAUSED -> CLOSED."""

    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    PAUSED = "PAUSED"
    CLOSED = "CLOSED"


LOCAL_ORIGIN = "ESPACE"
"""The origin of offers posted here (imported ones keep their source's)."""


class Company(IdMixin, CreatedMixin, Base):
    """An employer account's company (one per account)."""

    __tablename__ = "companies"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14))
    naf_code: Mapped[str | None] = mapped_column(String(6))
    size_band: Mapped[str | None] = mapped_column(String(24))
    description: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Offer(IdMixin, Base):
    """A job offer: posted by an employer here, or imported (FT v2 JSON)."""

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("origin", "origin_number"),
        Index("ix_offers_published_at", "published_at"),
        Index("ix_offers_account_id_id", "account_id", "id"),
        Index("ix_offers_departement", "departement"),
        Index("ix_offers_region", "region"),
        Index("ix_offers_rome_code", "rome_code"),
        Index("ix_offers_commune_insee", "commune_insee"),
        Index("ix_offers_latitude_longitude", "latitude", "longitude"),
    )

    number: Mapped[str] = mapped_column(String(7), unique=True)
    origin: Mapped[str] = mapped_column(String(20), default=LOCAL_ORIGIN)
    origin_number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default=OfferStatus.DRAFT.value)
    account_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE")
    )
    company_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    # Imported offers have no company here: their entreprise block is kept as given.
    employer_name: Mapped[str | None] = mapped_column(String(200))
    employer_info: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    intitule: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    lieu_libelle: Mapped[str] = mapped_column(String(120))
    departement: Mapped[str | None] = mapped_column(String(3))
    region: Mapped[str | None] = mapped_column(String(3))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    rome_code: Mapped[str] = mapped_column(String(5))
    rome_libelle: Mapped[str] = mapped_column(String(200))
    appellation_code: Mapped[str | None] = mapped_column(String(10))
    appellation_libelle: Mapped[str | None] = mapped_column(String(200))

    type_contrat: Mapped[str] = mapped_column(String(3))
    nature_contrat: Mapped[str] = mapped_column(String(2))
    duree_contrat_mois: Mapped[int | None]
    experience_exige: Mapped[str] = mapped_column(String(1))
    experience_mois: Mapped[int | None]
    qualification: Mapped[int | None]
    salaire_min: Mapped[float | None] = mapped_column(Float)
    salaire_max: Mapped[float | None] = mapped_column(Float)
    salaire_period: Mapped[str | None] = mapped_column(String(8))
    salaire_libelle: Mapped[str | None] = mapped_column(String(200))
    # The salary as monthly amounts (hourly x 151.67, yearly / 12), for the salary filter.
    salaire_mensuel_min: Mapped[float | None] = mapped_column(Float)
    salaire_mensuel_max: Mapped[float | None] = mapped_column(Float)
    duree_travail: Mapped[str | None] = mapped_column(String(14))
    heures_hebdo: Mapped[float | None] = mapped_column(Float)
    formations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    permis: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    langues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    competences: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    nombre_postes: Mapped[int] = mapped_column(default=1)
    accessible_th: Mapped[bool] = mapped_column(default=False)
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # Full text: skills, languages and training as plain text (both backends), and the
    # French stems that SQLite's FTS5 table indexes (NULL on PostgreSQL).
    search_extra: Mapped[str] = mapped_column(Text, default="")
    search_title: Mapped[str | None] = mapped_column(Text)
    search_body: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
