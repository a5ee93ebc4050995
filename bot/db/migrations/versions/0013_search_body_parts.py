"""search index: the parts of a document's body (summary, key points, quote, speaker, note) on lines

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

A body joined its parts with spaces, so a search excerpt that ran from one key point into the next
read as one sentence ('…"rampant militarisation" 5% target said to require…'). Bodies now put a
line break between parts, which the renderer shows as " · ". This rewrites the body of every
document whose entry is live; a document of no live entry is left as it was. Nothing else in the
index changes (PostgreSQL recomputes its tsvector from the body; FTS5 reindexes the row).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

SEARCH_TABLE = "entry_search"  # as in bot.db.search (not imported: a migration is frozen)
_BATCH = 500


def upgrade() -> None:
    """Bodies with a line between parts."""
    _rewrite("\n")


def downgrade() -> None:
    """Bodies with a space between parts, as before."""
    _rewrite(" ")


def _rewrite(separator: str) -> None:
    conn = op.get_bind()
    if not sa.inspect(conn).has_table(SEARCH_TABLE):
        return
    bodies = dict(_bodies(conn, separator))
    if conn.dialect.name == "sqlite":
        # FTS5 has no key but the rowid: find each document's rowid once, then update by it.
        rows = conn.execute(sa.text(f"SELECT rowid AS r, entry_id, guild_id, kind FROM {SEARCH_TABLE}"))  # noqa: S608
        update = sa.text(f"UPDATE {SEARCH_TABLE} SET body = :body WHERE rowid = :r")  # noqa: S608
        params = [
            {"r": row.r, "body": bodies[key]}
            for row in rows
            if (key := (row.kind, row.entry_id, int(row.guild_id))) in bodies
        ]
    else:
        update = sa.text(
            f"UPDATE {SEARCH_TABLE} SET body = :body "  # noqa: S608
            "WHERE entry_id = :entry_id AND guild_id = :guild_id AND kind = :kind"
        )
        params = [
            {"kind": kind, "entry_id": entry_id, "guild_id": guild_id, "body": body}
            for (kind, entry_id, guild_id), body in bodies.items()
        ]
    for start in range(0, len(params), _BATCH):
        conn.execute(update, params[start : start + _BATCH])


def _bodies(conn: sa.Connection, separator: str) -> Iterator[tuple[tuple[str, str, int], str]]:
    """((kind, entry id, scope), body) of every live entry, its parts joined by `separator`."""
    positions = conn.execute(
        sa.text(
            "SELECT id, guild_id, summary, key_points, quote, speaker, status_note "
            "FROM positions WHERE removed_at IS NULL"
        )
    )
    for p in positions:
        points = json.loads(p.key_points) if isinstance(p.key_points, str) else (p.key_points or [])
        parts = [p.summary, *points, p.quote, p.speaker, p.status_note]
        yield ("position", p.id, int(p.guild_id)), _join(parts, separator)
    events = conn.execute(
        sa.text("SELECT id, guild_id, summary, status_note FROM events WHERE removed_at IS NULL")
    )
    for e in events:
        yield ("event", e.id, int(e.guild_id)), _join([e.summary, e.status_note], separator)


def _join(parts: Sequence[Any], separator: str) -> str:
    if separator == " ":  # the bodies before this revision: parts as stored, spaces between
        return " ".join(str(t) for t in parts if t)
    return separator.join(s for t in parts if t and (s := str(t).strip()))
