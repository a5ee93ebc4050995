"""(guild_id, id) indexes: a scope's ids from a prefix on, in order (entry-id autocomplete)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("positions", "events")


def upgrade() -> None:
    """Replace the (guild_id) index, and on PostgreSQL the id pattern index, with (guild_id, id).

    The id prefix index found a prefix's ids but not the server's among them: a prefix typed in
    one server walked every other server's ids that share it (thousands, at 500 servers).
    """
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        op.drop_index(f"ix_{table}_guild", table_name=table)
        if postgres:
            op.drop_index(f"ix_{table}_id_prefix", table_name=table)
            op.create_index(
                f"ix_{table}_scope_id", table, ["guild_id", "id"], postgresql_ops={"id": 'COLLATE "C"'}
            )
        else:
            op.create_index(f"ix_{table}_scope_id", table, ["guild_id", "id"])


def downgrade() -> None:
    """Back to the (guild_id) and id prefix indexes."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        op.drop_index(f"ix_{table}_scope_id", table_name=table)
        op.create_index(f"ix_{table}_guild", table, ["guild_id"])
        if postgres:
            op.create_index(
                f"ix_{table}_id_prefix", table, ["id"], postgresql_ops={"id": "varchar_pattern_ops"}
            )
