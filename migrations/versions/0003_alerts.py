"""Alerts (abonnements aux offres): alerts, their percolator keys, matches, scheduled runs.

``alert_keys`` is the percolator index (``resolvers.alerts.keys``): its primary key
(key, alert_id) is the lookup; on SQLite it is a WITHOUT ROWID table, so the index is the
table. Unsent matches have a partial index for the digests.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0003"
down_revision: str | None = "0002"
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
        "alerts",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("unsubscribe_salt", sa.String(32), nullable=False),
        sa.Column("last_sent_at", UTC, nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("account_id", "alerts", "accounts", "CASCADE"),
        _fk("dossier_id", "alerts", "dossiers", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_account_id"), "alerts", ["account_id"])
    op.create_index(op.f("ix_alerts_dossier_id"), "alerts", ["dossier_id"])
    op.create_table(
        "alert_keys",
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("alert_id", ID, nullable=False),
        _fk("alert_id", "alert_keys", "alerts", "CASCADE"),
        sa.PrimaryKeyConstraint("key", "alert_id", name=op.f("pk_alert_keys")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_alert_keys_alert_id"), "alert_keys", ["alert_id"])
    op.create_table(
        "alert_matches",
        sa.Column("alert_id", ID, nullable=False),
        sa.Column("offer_id", ID, nullable=False),
        sa.Column("matched_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        _id(),
        _fk("alert_id", "alert_matches", "alerts", "CASCADE"),
        _fk("offer_id", "alert_matches", "offers", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_matches")),
        sa.UniqueConstraint(
            "alert_id", "offer_id", name=op.f("uq_alert_matches_alert_id_offer_id")
        ),
    )
    op.create_index("ix_alert_matches_offer_id", "alert_matches", ["offer_id"])
    op.create_index(
        "ix_alert_matches_pending",
        "alert_matches",
        ["alert_id"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "scheduled_runs",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("last_run_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduled_runs")),
    )


def downgrade() -> None:
    op.drop_table("scheduled_runs")
    op.drop_table("alert_matches")
    op.drop_table("alert_keys")
    op.drop_table("alerts")
