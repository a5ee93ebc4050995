"""search index (SQLite): merge FTS5's segments into one, once

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

FTS5 keeps its index as segments and merges them only a few at a time. A store filled by imports
before this revision, or rewritten by 0013 (every body replaced, each replacement a delete marker
and a new entry), looks each searched word up in ten or more segments. Imports now merge the
index after a large write (bot.db.search.SqliteSearch.after_bulk); this does it once for a store
that is already there. The documents and their order of answers stay as they were. PostgreSQL's
GIN index has no segments: nothing to do there, and going back changes nothing either.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None

SEARCH_TABLE = "entry_search"  # as in bot.db.search (not imported: a migration is frozen)


def upgrade() -> None:
    """One segment for the whole index (FTS5's 'optimize' command), on SQLite."""
    conn = op.get_bind()
    if conn.dialect.name == "sqlite" and sa.inspect(conn).has_table(SEARCH_TABLE):
        conn.exec_driver_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES('optimize')")


def downgrade() -> None:
    """Nothing: a merged index is the same index to 0013's code."""
