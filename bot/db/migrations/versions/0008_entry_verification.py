"""Entries carry a `verification` caveat (single-source, unverified), or NULL for none

Sources keep living in the JSON `sources` column; their new keys (`via`, `role`) need no change
to the schema.

Revision ID: 0008
Revises: 0010 (written against 0005; relinked after main gained 0010)
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("positions", "events")


def upgrade() -> None:
    """A nullable `verification` column on positions and events (existing rows: NULL, no caveat)."""
    for table in TABLES:
        op.add_column(table, sa.Column("verification", sa.String(16), nullable=True))


def downgrade() -> None:
    """Drop the column (the caveats are lost; the entries themselves are kept).

    A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy of the table would drop and
    re-create `events`, which the event link tables reference.
    """
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN verification")
