"""one digest subscription per (server, channel, topics): topics_key, duplicates removed

Revision ID: 0007
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

TABLE = "digest_subscriptions"
INDEX = "uq_digest_subs_target"


def topics_key(topics: object) -> str:
    """The subscription's topics, normalised: sorted, distinct, comma-joined ("" for every topic).

    A copy of bot.store.digests.topics_key: a migration must not change when the code does.
    """
    if isinstance(topics, str):
        topics = json.loads(topics or "[]")
    slugs = sorted({str(t).strip().lower() for t in (topics or []) if str(t).strip()})
    return ",".join(slugs)


def upgrade() -> None:
    """Add topics_key, fill it, delete all but the oldest of each duplicate, then make it unique."""
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("topics_key", sa.String(length=1000), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(f"SELECT id, guild_id, channel_id, topics FROM {TABLE} ORDER BY id")  # noqa: S608
    ).all()
    seen: set[tuple[int, int, str]] = set()
    for row_id, guild_id, channel_id, topics in rows:
        key = topics_key(topics)
        target = (guild_id, channel_id, key)
        if target in seen:  # a later duplicate: its digests were posted twice; the oldest stays
            conn.execute(sa.text("DELETE FROM digest_deliveries WHERE subscription_id = :i"), {"i": row_id})
            conn.execute(sa.text(f"DELETE FROM {TABLE} WHERE id = :i"), {"i": row_id})  # noqa: S608
            continue
        seen.add(target)
        conn.execute(
            sa.text(f"UPDATE {TABLE} SET topics_key = :k WHERE id = :i"),  # noqa: S608
            {"k": key, "i": row_id},
        )
    with op.batch_alter_table(TABLE) as batch:
        batch.create_index(INDEX, ["guild_id", "channel_id", "topics_key"], unique=True)


def downgrade() -> None:
    """Drop the unique index and the column (the deleted duplicates stay deleted)."""
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_index(INDEX)
        batch.drop_column("topics_key")
