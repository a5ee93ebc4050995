"""event topics carry the event's scope, date, precision and visibility (one index per timeline)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

COLUMNS = ("guild_id", "occurred_on", "precision", "removed")
DATED_INDEX = ("topic_id", "removed", "occurred_on", "event_id", "guild_id", "precision")


def upgrade() -> None:
    """Add the copies (nullable), fill them from the events, then require them and swap the index."""
    with op.batch_alter_table("event_topics") as batch:
        batch.add_column(sa.Column("guild_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("occurred_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("precision", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("removed", sa.Boolean(), nullable=True))
    # Correlated subqueries rather than UPDATE … FROM: SQLite has that only from 3.33.
    op.execute(
        "UPDATE event_topics SET "
        "guild_id = (SELECT e.guild_id FROM events e WHERE e.id = event_topics.event_id), "
        "occurred_on = (SELECT e.occurred_on FROM events e WHERE e.id = event_topics.event_id), "
        "precision = (SELECT e.precision FROM events e WHERE e.id = event_topics.event_id), "
        "removed = (SELECT e.removed_at IS NOT NULL FROM events e WHERE e.id = event_topics.event_id)"
    )
    with op.batch_alter_table("event_topics") as batch:
        batch.alter_column("guild_id", existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("occurred_on", existing_type=sa.Date(), nullable=False)
        batch.alter_column("precision", existing_type=sa.String(length=5), nullable=False)
        batch.alter_column("removed", existing_type=sa.Boolean(), nullable=False)
        batch.drop_index("ix_event_topics_topic")
        batch.create_index("ix_event_topics_dated", list(DATED_INDEX), unique=False)


def downgrade() -> None:
    """Back to bare links with the (topic, event) index."""
    with op.batch_alter_table("event_topics") as batch:
        batch.drop_index("ix_event_topics_dated")
        batch.create_index("ix_event_topics_topic", ["topic_id", "event_id"], unique=False)
        for name in COLUMNS:
            batch.drop_column(name)
