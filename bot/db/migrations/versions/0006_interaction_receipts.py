"""interaction receipts: a write done for a Discord interaction is recorded with it, once

Revision ID: 0006
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create interaction_receipts (one row per interaction whose write committed)."""
    op.create_table(
        "interaction_receipts",
        sa.Column("interaction_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("command", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("interaction_id"),
    )


def downgrade() -> None:
    """Drop interaction_receipts."""
    op.drop_table("interaction_receipts")
