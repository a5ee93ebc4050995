"""baseline: the store's tables and the full-text search index

Revision ID: 0001
Revises:
Create Date: 2026-11-26

The schema as `Base.metadata.create_all` made it before migrations existed, written out so that
later model changes never alter it. Databases made by create_all are stamped at this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


# The search index as this revision made it (title + body); 0010 moves it to bot.db.search's DDL.
BASELINE_SEARCH_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE VIRTUAL TABLE IF NOT EXISTS entry_search USING fts5("
        "entry_id UNINDEXED, guild_id UNINDEXED, kind UNINDEXED, title, body, "
        "tokenize='porter unicode61 remove_diacritics 2')",
    ),
    "postgresql": (
        "CREATE TABLE IF NOT EXISTS entry_search ("
        "entry_id varchar(64) PRIMARY KEY, guild_id bigint NOT NULL, kind varchar(10) NOT NULL, "
        "title text NOT NULL, body text NOT NULL, "
        "tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', title), 'A') || "
        "setweight(to_tsvector('english', body), 'B')) STORED)",
        "CREATE INDEX IF NOT EXISTS ix_entry_search_tsv ON entry_search USING GIN (tsv)",
    ),
}


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)  # the column type of models.UTCDateTime


def upgrade() -> None:
    """Create every table, index and the dialect's search index."""
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("slug", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", "slug", name="uq_actors_guild_slug"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("entry_kind", sa.String(length=10), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entry", "audit_log", ["entry_id", "id"], unique=False)
    op.create_index("ix_audit_guild_at", "audit_log", ["guild_id", "at"], unique=False)
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("precision", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("removed_at", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_events_date", "events", ["occurred_on"], unique=False)
    op.create_index("ix_events_guild", "events", ["guild_id"], unique=False)
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("curator_role_id", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("slug", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", "slug", name="uq_topics_guild_slug"),
    )
    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("event_id", "actor_id"),
    )
    op.create_index("ix_event_actors_actor", "event_actors", ["actor_id", "event_id"], unique=False)
    op.create_table(
        "event_topics",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("event_id", "topic_id"),
    )
    op.create_index("ix_event_topics_topic", "event_topics", ["topic_id", "event_id"], unique=False)
    op.create_table(
        "positions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("key_points", sa.JSON(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("speaker", sa.String(length=100), nullable=False),
        sa.Column("stated_on", sa.Date(), nullable=False),
        sa.Column("precision", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("removed_at", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_positions_actor_topic", "positions", ["actor_id", "topic_id"], unique=False)
    op.create_index("ix_positions_guild", "positions", ["guild_id"], unique=False)
    op.create_index("ix_positions_topic", "positions", ["topic_id"], unique=False)
    for statement in BASELINE_SEARCH_DDL[op.get_context().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    """Drop everything the upgrade created (and every row in it)."""
    op.execute("DROP TABLE IF EXISTS entry_search")
    for table in (
        "positions",
        "event_topics",
        "event_actors",
        "topics",
        "meta",
        "guild_settings",
        "events",
        "audit_log",
        "actors",
    ):
        op.drop_table(table)
