"""digests: subscriptions and deliveries (scheduling state lives in the database)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)  # the column type of models.UTCDateTime


def upgrade() -> None:
    """Create the digest tables."""
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("cadence", sa.String(length=8), nullable=False),
        sa.Column("time_of_day", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("post_empty", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("covered_until", _utc(), nullable=False),
        sa.Column("next_due_at", _utc(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("claimed_until", _utc(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_digest_subs_due", "digest_subscriptions", ["active", "next_due_at"], unique=False)
    op.create_index("ix_digest_subs_guild", "digest_subscriptions", ["guild_id"], unique=False)
    op.create_table(
        "digest_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("nonce", sa.String(length=25), nullable=False),
        sa.Column("covered_from", _utc(), nullable=False),
        sa.Column("covered_until", _utc(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("message_ids", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", _utc(), nullable=False),
        sa.Column("posted_at", _utc(), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["digest_subscriptions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "period", name="uq_digest_delivery_period"),
    )


def downgrade() -> None:
    """Drop the digest tables."""
    op.drop_table("digest_deliveries")
    op.drop_index("ix_digest_subs_guild", table_name="digest_subscriptions")
    op.drop_index("ix_digest_subs_due", table_name="digest_subscriptions")
    op.drop_table("digest_subscriptions")
