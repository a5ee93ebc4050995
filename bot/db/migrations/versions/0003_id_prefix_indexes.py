"""id prefix indexes on PostgreSQL (entry-id autocomplete without a sequential scan)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

INDEXES = (("ix_positions_id_prefix", "positions"), ("ix_events_id_prefix", "events"))


def upgrade() -> None:
    """PostgreSQL only: `LIKE 'prefix%'` uses a btree only with pattern ops (or the C collation)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table in INDEXES:
        op.create_index(name, table, ["id"], postgresql_ops={"id": "varchar_pattern_ops"})


def downgrade() -> None:
    """Drop them again."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)
