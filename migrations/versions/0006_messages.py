"""Messages: conversations, participants, messages, read state, attachments.

Hand-written, like 0002. Participants are columns of ``conversations`` (the candidat, the
employer or the agency); read state is one marker per reader and conversation.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0006"
down_revision: str | None = "0005"
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
        "conversations",
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("candidat_id", ID, nullable=False),
        sa.Column("employer_id", ID, nullable=True),
        sa.Column("agency_id", ID, nullable=True),
        sa.Column("subject_type", sa.String(20), nullable=True),
        sa.Column("subject_id", ID, nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("last_message_id", ID, nullable=True),
        sa.Column("last_message_at", UTC, nullable=False),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("candidat_id", "conversations", "accounts", "CASCADE"),
        _fk("employer_id", "conversations", "accounts", "CASCADE"),
        _fk("agency_id", "conversations", "agencies", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    for column in ("candidat_id", "employer_id", "agency_id"):
        op.create_index(
            f"ix_conversations_{column}_last_message_id",
            "conversations",
            [column, "last_message_id"],
        )
    op.create_table(
        "messages",
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("conversation_id", "messages", "conversations", "CASCADE"),
        _fk("author_id", "messages", "accounts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index("ix_messages_conversation_id_id", "messages", ["conversation_id", "id"])
    op.create_index("ix_messages_author_id", "messages", ["author_id"])
    op.create_table(
        "conversation_reads",
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("last_read_message_id", ID, nullable=False),
        sa.Column("read_at", UTC, nullable=False),
        _fk("conversation_id", "conversation_reads", "conversations", "CASCADE"),
        _fk("account_id", "conversation_reads", "accounts", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "conversation_id", "account_id", name=op.f("pk_conversation_reads")
        ),
    )
    op.create_index("ix_conversation_reads_account_id", "conversation_reads", ["account_id"])
    op.create_table(
        "message_attachments",
        sa.Column("message_id", ID, nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        _id(),
        sa.Column("created_at", UTC, nullable=False),
        _fk("message_id", "message_attachments", "messages", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_attachments")),
    )
    op.create_index(
        op.f("ix_message_attachments_message_id"), "message_attachments", ["message_id"]
    )


def downgrade() -> None:
    op.drop_table("message_attachments")
    op.drop_table("conversation_reads")
    op.drop_table("messages")
    op.drop_table("conversations")
