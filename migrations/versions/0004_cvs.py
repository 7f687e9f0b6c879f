"""CVs: CVs per dossier, experiences, education, attached files (metadata only).

Hand-written, like 0002. The files themselves live in the file storage, never here.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0004"
down_revision: str | None = "0003"
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


def upgrade() -> None:
    op.create_table(
        "cvs",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("visibility", sa.String(10), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("rome_code", sa.String(5), nullable=True),
        sa.Column("appellation_code", sa.String(10), nullable=True),
        sa.Column("metier_libelle", sa.String(200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("driving_licences", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("published_at", UTC, nullable=True),
        sa.Column("file_key", sa.String(64), nullable=True),
        sa.Column("file_name", sa.String(200), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("file_uploaded_at", UTC, nullable=True),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("account_id", "cvs", "accounts", "CASCADE"),
        _fk("dossier_id", "cvs", "dossiers", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cvs")),
    )
    op.create_index("ix_cvs_account_id", "cvs", ["account_id"])
    op.create_index("ix_cvs_dossier_id", "cvs", ["dossier_id"])
    op.create_index("ix_cvs_rome_code", "cvs", ["rome_code"])
    op.create_index("ix_cvs_visibility_id", "cvs", ["visibility", "id"])
    op.create_table(
        "cv_experiences",
        sa.Column("cv_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(200), nullable=False),
        sa.Column("employer", sa.String(200), nullable=True),
        sa.Column("place", sa.String(120), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        _id(),
        _fk("cv_id", "cv_experiences", "cvs", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cv_experiences")),
    )
    op.create_index("ix_cv_experiences_cv_id_position", "cv_experiences", ["cv_id", "position"])
    op.create_table(
        "cv_educations",
        sa.Column("cv_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("diploma", sa.String(200), nullable=False),
        sa.Column("level", sa.String(10), nullable=True),
        sa.Column("domain", sa.String(200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        _id(),
        _fk("cv_id", "cv_educations", "cvs", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cv_educations")),
    )
    op.create_index("ix_cv_educations_cv_id_position", "cv_educations", ["cv_id", "position"])


def downgrade() -> None:
    op.drop_table("cv_educations")
    op.drop_table("cv_experiences")
    op.drop_table("cvs")
