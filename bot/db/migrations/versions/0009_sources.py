"""Watched sources, the item identities they showed, drafts in the review queue, review channels

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def UTCDateTime() -> sa.DateTime:  # noqa: N802 - reads like the model column type it stands for
    return sa.DateTime(timezone=True)  # the column type of models.UTCDateTime


def upgrade() -> None:
    """Create sources, source_hosts, source_items, drafts and review_channels."""
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("feed_title", sa.String(200), nullable=False),
        sa.Column("default_topic", sa.String(32), nullable=False),
        sa.Column("default_actors", sa.JSON(), nullable=False),
        sa.Column("include", sa.JSON(), nullable=False),
        sa.Column("exclude", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("etag", sa.String(200), nullable=False),
        sa.Column("last_modified", sa.String(100), nullable=False),
        sa.Column("last_fetch_at", UTCDateTime(), nullable=True),
        sa.Column("last_new_item_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("next_due_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("guild_id", "url", name="uq_sources_guild_url"),
    )
    op.create_index("ix_sources_due", "sources", ["active", "next_due_at"])
    op.create_table(
        "source_hosts",
        sa.Column("host", sa.String(255), primary_key=True),
        sa.Column("next_allowed_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "source_items",
        sa.Column(
            "source_id", sa.Integer(), sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("identity", sa.String(40), primary_key=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("dedupe_key", sa.String(64), nullable=False),
        sa.Column("source_ids", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(500), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.UniqueConstraint("guild_id", "dedupe_key", name="uq_drafts_guild_key"),
    )
    op.create_index("ix_drafts_queue", "drafts", ["guild_id", "status", "id"])
    op.create_table(
        "review_channels",
        sa.Column("guild_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    """Drop the sources tables (drafts and seen items with them)."""
    op.drop_table("review_channels")
    op.drop_index("ix_drafts_queue", table_name="drafts")
    op.drop_table("drafts")
    op.drop_table("source_items")
    op.drop_table("source_hosts")
    op.drop_index("ix_sources_due", table_name="sources")
    op.drop_table("sources")
