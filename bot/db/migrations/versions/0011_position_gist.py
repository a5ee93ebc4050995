"""Positions carry a `gist`: one plain sentence (≤ 120 characters) saying the position itself

Existing rows get an empty gist; the renderer falls back to the summary's first sentence.

Revision ID: 0011
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """A `gist` column on positions, empty for existing rows."""
    op.add_column("positions", sa.Column("gist", sa.String(120), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop the column (the gists are lost; the positions themselves are kept).

    A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), as in 0008.
    """
    op.execute("ALTER TABLE positions DROP COLUMN gist")
