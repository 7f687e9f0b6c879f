"""Registration (inscription) and monthly declarations (actualisation): registrations and
their history, declaration windows, declarations and their versions, supporting documents.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actualisation_windows",
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("opens_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opening_reminded_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closing_reminded_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ceased_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actualisation_windows")),
        sa.UniqueConstraint("period", name=op.f("uq_actualisation_windows_period")),
    )
    op.create_table(
        "actualisations",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("first_submitted_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_actualisations_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actualisations")),
        sa.UniqueConstraint(
            "account_id", "period", name=op.f("uq_actualisations_account_id_period")
        ),
        sa.UniqueConstraint("number", name=op.f("uq_actualisations_number")),
    )
    with op.batch_alter_table("actualisations", schema=None) as batch_op:
        batch_op.create_index("ix_actualisations_period", ["period"], unique=False)

    op.create_table(
        "registration_changes",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_registration_changes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_changes")),
    )
    with op.batch_alter_table("registration_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registration_changes_account_id_id", ["account_id", "id"], unique=False
        )

    op.create_table(
        "registrations",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "adviser_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_registrations_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["adviser_id"],
            ["accounts.id"],
            name=op.f("fk_registrations_adviser_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_registrations_agency_id_agencies"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("account_id", name=op.f("uq_registrations_account_id")),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registrations_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "supporting_documents",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("period", sa.Date(), nullable=True),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column(
            "decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_supporting_documents_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["accounts.id"],
            name=op.f("fk_supporting_documents_decided_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supporting_documents")),
    )
    with op.batch_alter_table("supporting_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_supporting_documents_account_id_id", ["account_id", "id"], unique=False
        )

    op.create_table(
        "actualisation_versions",
        sa.Column(
            "actualisation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["actualisation_id"],
            ["actualisations.id"],
            name=op.f("fk_actualisation_versions_actualisation_id_actualisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actualisation_versions")),
        sa.UniqueConstraint(
            "actualisation_id",
            "version",
            name=op.f("uq_actualisation_versions_actualisation_id_version"),
        ),
    )


def downgrade() -> None:
    op.drop_table("actualisation_versions")
    with op.batch_alter_table("supporting_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_supporting_documents_account_id_id")

    op.drop_table("supporting_documents")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrations_agency_id"))

    op.drop_table("registrations")
    with op.batch_alter_table("registration_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_changes_account_id_id")

    op.drop_table("registration_changes")
    with op.batch_alter_table("actualisations", schema=None) as batch_op:
        batch_op.drop_index("ix_actualisations_period")

    op.drop_table("actualisations")
    op.drop_table("actualisation_windows")
