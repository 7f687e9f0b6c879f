"""Erasure requests (issue 14 §3 and §4: erasure and retention).

Revision ID: 0012
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "erasure_requests",
        sa.Column("account_id", BIG_ID, nullable=False),
        sa.Column("reason", sa.String(length=10), nullable=False),
        sa.Column("requested_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_erasure_requests_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    op.create_index(
        "ix_erasure_requests_account_id", "erasure_requests", ["account_id"], unique=False
    )
    op.create_index("ix_erasure_requests_due_at", "erasure_requests", ["due_at"], unique=False)
    op.add_column(
        "applications",
        sa.Column("anonymized_at", models.base.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("anonymized_at")
    op.drop_index("ix_erasure_requests_due_at", table_name="erasure_requests")
    op.drop_index("ix_erasure_requests_account_id", table_name="erasure_requests")
    op.drop_table("erasure_requests")
