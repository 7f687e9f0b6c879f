"""Indemnisation: rights, payments, bank accounts; the topic of adviser conversations.

Hand-written, like 0006.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = models.base.UTCDateTime(timezone=True)
RATE = sa.Numeric(9, 2)


def _id() -> sa.Column[int]:
    return sa.Column("id", ID, autoincrement=True, nullable=False)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _ints(*names: str, nullable: bool) -> list[sa.Column[int]]:
    return [sa.Column(n, sa.Integer(), nullable=nullable) for n in names]


def upgrade() -> None:
    op.create_table(
        "indemnisation_rights",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("agency_id", ID, nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("daily_net_rate", RATE, nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("reference_salary_cents", sa.Integer(), nullable=True),
        *_ints(
            "days_granted",
            "days_left",
            "days_deferred",
            nullable=False,
        ),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("opened_by_id", ID, nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("account_id", "indemnisation_rights", "accounts", "CASCADE"),
        _fk("agency_id", "indemnisation_rights", "agencies", "SET NULL"),
        _fk("opened_by_id", "indemnisation_rights", "accounts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indemnisation_rights")),
        sa.UniqueConstraint("account_id", name=op.f("uq_indemnisation_rights_account_id")),
    )
    op.create_index(
        "ix_indemnisation_rights_agency_id", "indemnisation_rights", ["agency_id"]
    )
    op.create_table(
        "indemnisation_payments",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("period", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("made_at", UTC, nullable=True),
        *_ints("amount_cents", "allocations_cents", "aides_cents", "autres_cents", nullable=False),
        sa.Column("daily_net_rate", RATE, nullable=True),
        *_ints(
            "hours_worked",
            "gross_pay_cents",
            "deducted_days",
            "payable_days",
            "base_cents",
            "activity_deduction_cents",
            "cap_cents",
            nullable=True,
        ),
        sa.Column("capped", sa.Boolean(), nullable=True),
        *_ints("days_paid", "days_deferred", nullable=True),
        sa.Column("bank_account_masked", sa.String(60), nullable=True),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("account_id", "indemnisation_payments", "accounts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indemnisation_payments")),
        sa.UniqueConstraint(
            "account_id", "key", name=op.f("uq_indemnisation_payments_account_id_key")
        ),
    )
    op.create_index(
        "ix_indemnisation_payments_account_id_paid_on",
        "indemnisation_payments",
        ["account_id", "paid_on", "id"],
    )
    op.create_index(
        "ix_indemnisation_payments_status_paid_on",
        "indemnisation_payments",
        ["status", "paid_on"],
    )
    op.create_table(
        "bank_accounts",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("iban", sa.String(34), nullable=False),
        sa.Column("bic", sa.String(11), nullable=False),
        sa.Column("holder", sa.String(100), nullable=False),
        sa.Column("bank_name", sa.String(200), nullable=True),
        sa.Column("effective_at", UTC, nullable=False),
        sa.Column("cancelled_at", UTC, nullable=True),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("account_id", "bank_accounts", "accounts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_accounts")),
    )
    op.create_index(
        "ix_bank_accounts_account_id_effective_at",
        "bank_accounts",
        ["account_id", "effective_at"],
    )
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("topic", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("topic")
    op.drop_table("bank_accounts")
    op.drop_table("indemnisation_payments")
    op.drop_table("indemnisation_rights")
