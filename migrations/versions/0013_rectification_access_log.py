"""Data rights (issue 14): the history of personal-data changes and the access log.

Revision ID: 0013
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column[int]:
    return sa.Column("id", BIG_ID, autoincrement=True, nullable=False)


def upgrade() -> None:
    op.create_table(
        "personal_data_changes",
        sa.Column("account_id", BIG_ID, nullable=False),
        sa.Column("actor", sa.String(length=12), nullable=False),
        sa.Column("actor_id", BIG_ID, nullable=True),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", BIG_ID, nullable=True),
        sa.Column("subject_name", sa.String(length=60), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.String(length=254), nullable=True),
        sa.Column("new_value", sa.String(length=254), nullable=True),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        _id(),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_personal_data_changes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["accounts.id"],
            name=op.f("fk_personal_data_changes_actor_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_changes")),
    )
    op.create_index(
        "ix_personal_data_changes_account_id_id",
        "personal_data_changes",
        ["account_id", "id"],
        unique=False,
    )
    op.create_table(
        "access_log",
        sa.Column("account_id", BIG_ID, nullable=False),
        sa.Column("viewer_id", BIG_ID, nullable=True),
        sa.Column("viewer_kind", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", BIG_ID, nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        _id(),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_access_log_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"],
            ["accounts.id"],
            name=op.f("fk_access_log_viewer_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_account_id_id", "access_log", ["account_id", "id"])
    op.create_index(
        "ix_access_log_viewer_id_subject_id_at", "access_log", ["viewer_id", "subject_id", "at"]
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_access_log_at", table_name="access_log")
    op.drop_index("ix_access_log_viewer_id_subject_id_at", table_name="access_log")
    op.drop_index("ix_access_log_account_id_id", table_name="access_log")
    op.drop_table("access_log")
    op.drop_index("ix_personal_data_changes_account_id_id", table_name="personal_data_changes")
    op.drop_table("personal_data_changes")
