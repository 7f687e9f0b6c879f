"""Télécandidatures (applications with status history) and employer proposals.

Hand-written, as ``models/applications.py`` and ``models/proposals.py`` declare them.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = models.base.UTCDateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", ID, autoincrement=True, nullable=False)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _applications() -> None:
    op.create_table(
        "applications",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("cv_id", ID, nullable=True),
        sa.Column("offer_id", ID, nullable=False),
        sa.Column("employer_id", ID, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("account_id", "applications", "accounts", "CASCADE"),
        _fk("dossier_id", "applications", "dossiers", "CASCADE"),
        _fk("cv_id", "applications", "cvs", "SET NULL"),
        _fk("offer_id", "applications", "offers", "CASCADE"),
        _fk("employer_id", "applications", "accounts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint(
            "account_id", "offer_id", name=op.f("uq_applications_account_id_offer_id")
        ),
    )
    op.create_index("ix_applications_dossier_id", "applications", ["dossier_id"])
    op.create_index("ix_applications_cv_id", "applications", ["cv_id"])
    op.create_index("ix_applications_employer_id_id", "applications", ["employer_id", "id"])
    op.create_index("ix_applications_offer_id_id", "applications", ["offer_id", "id"])
    op.create_table(
        "application_changes",
        sa.Column("application_id", ID, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("by", sa.String(10), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        _id(),
        _fk("application_id", "application_changes", "applications", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_changes")),
    )
    op.create_index(
        "ix_application_changes_application_id_id",
        "application_changes",
        ["application_id", "id"],
    )


def _proposals() -> None:
    op.create_table(
        "proposals",
        sa.Column("employer_id", ID, nullable=False),
        sa.Column("company_id", ID, nullable=False),
        sa.Column("candidate_id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("cv_id", ID, nullable=True),
        sa.Column("offer_id", ID, nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("deadline", UTC, nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("answer_message", sa.Text(), nullable=True),
        sa.Column("answered_at", UTC, nullable=True),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("employer_id", "proposals", "accounts", "CASCADE"),
        _fk("company_id", "proposals", "companies", "CASCADE"),
        _fk("candidate_id", "proposals", "accounts", "CASCADE"),
        _fk("dossier_id", "proposals", "dossiers", "CASCADE"),
        _fk("cv_id", "proposals", "cvs", "SET NULL"),
        _fk("offer_id", "proposals", "offers", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    for name, columns in PROPOSAL_INDEXES.items():
        op.create_index(name, "proposals", columns)


PROPOSAL_INDEXES = {
    "ix_proposals_candidate_id_id": ["candidate_id", "id"],
    "ix_proposals_employer_id_id": ["employer_id", "id"],
    "ix_proposals_employer_id_created_at": ["employer_id", "created_at"],
    "ix_proposals_company_id": ["company_id"],
    "ix_proposals_dossier_id": ["dossier_id"],
    "ix_proposals_cv_id": ["cv_id"],
    "ix_proposals_offer_id": ["offer_id"],
}


def upgrade() -> None:
    _applications()
    _proposals()


def downgrade() -> None:
    op.drop_table("proposals")
    op.drop_table("application_changes")
    op.drop_table("applications")
