"""search index: actor names, topic titles and stance in a column of their own (never in snippets)

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-05

Before, an event's actor names and topic titles (and a position's stance) were appended to the
indexed body, so search excerpts showed them ("…sovereignty. Russia NATO Ukraine's NATO…").
FTS5 tables cannot gain a column, so on both databases the index is rebuilt from the entries;
a document without a live entry behind it is kept as it was.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.db.search import SEARCH_TABLE, event_search_doc, position_search_doc, search_ddl

revision: str = "0010"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_BATCH = 500


def upgrade() -> None:
    """Recreate the index with the `names` column and fill it from the live entries."""
    conn = op.get_bind()
    kept = _old_docs(conn)
    op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
    for statement in search_ddl(conn.dialect.name):
        op.execute(statement)
    insert = sa.text(
        f"INSERT INTO {SEARCH_TABLE} (entry_id, guild_id, kind, title, body, names) "  # noqa: S608
        "VALUES (:entry_id, :guild_id, :kind, :title, :body, :names)"
    )
    _fill(conn, insert, kept, legacy=False)


def downgrade() -> None:
    """Back to the baseline's index (names and stance appended to the body)."""
    from importlib import import_module

    baseline = import_module("bot.db.migrations.versions.0001_baseline")
    conn = op.get_bind()
    kept = _old_docs(conn)
    op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
    for statement in baseline.BASELINE_SEARCH_DDL[conn.dialect.name]:
        op.execute(statement)
    insert = sa.text(
        f"INSERT INTO {SEARCH_TABLE} (entry_id, guild_id, kind, title, body) "  # noqa: S608
        "VALUES (:entry_id, :guild_id, :kind, :title, :body)"
    )
    _fill(conn, insert, kept, legacy=True)


def _old_docs(conn: sa.Connection) -> dict[str, dict[str, Any]]:
    """The index's documents before the change, by entry id."""
    rows = conn.execute(sa.text(f"SELECT entry_id, guild_id, kind, title, body FROM {SEARCH_TABLE}"))  # noqa: S608
    return {r.entry_id: dict(r._mapping) for r in rows}


def _fill(
    conn: sa.Connection, insert: sa.TextClause, kept: dict[str, dict[str, Any]], *, legacy: bool
) -> None:
    """Index every live entry afresh; documents of no live entry go back unchanged."""
    batch: list[dict[str, Any]] = []

    def add(row: dict[str, Any]) -> None:
        batch.append(row)
        if len(batch) >= _BATCH:
            conn.execute(insert, batch)
            batch.clear()

    for doc in _docs(conn):
        kept.pop(doc.entry_id, None)
        row = {"entry_id": doc.entry_id, "guild_id": doc.guild_id, "kind": doc.kind, "title": doc.title}
        if legacy:  # the baseline's body: the entry's text, then its names (events) or stance (positions)
            tail = doc.names.rsplit(" ", 1)[-1] if doc.kind == "position" else doc.names
            row["body"] = " ".join(t for t in (doc.body, tail) if t)
        else:
            row |= {"body": doc.body, "names": doc.names}
        add(row)
    for row in kept.values():
        add(row if legacy else {**row, "names": ""})
    if batch:
        conn.execute(insert, batch)


def _docs(conn: sa.Connection) -> Iterator[Any]:
    actors = dict(conn.execute(sa.text("SELECT id, name FROM actors")).all())
    topics = dict(conn.execute(sa.text("SELECT id, title FROM topics")).all())
    positions = conn.execute(
        sa.text(
            "SELECT id, guild_id, actor_id, topic_id, stance, summary, key_points, quote, speaker, "
            "status_note FROM positions WHERE removed_at IS NULL"
        )
    )
    for p in positions:
        points = json.loads(p.key_points) if isinstance(p.key_points, str) else (p.key_points or [])
        yield position_search_doc(
            p.id,
            p.guild_id,
            actors.get(p.actor_id, ""),
            topics.get(p.topic_id, ""),
            p.stance,
            [p.summary, *points, p.quote or "", p.speaker or "", p.status_note or ""],
        )
    names: dict[str, list[str]] = defaultdict(list)
    for event_id, actor_id in conn.execute(sa.text("SELECT event_id, actor_id FROM event_actors")):
        names[event_id].append(actors.get(actor_id, ""))
    for event_id, topic_id in conn.execute(sa.text("SELECT event_id, topic_id FROM event_topics")):
        names[event_id].append(topics.get(topic_id, ""))
    events = conn.execute(
        sa.text("SELECT id, guild_id, title, summary, status_note FROM events WHERE removed_at IS NULL")
    )
    for e in events:
        yield event_search_doc(e.id, e.guild_id, e.title, [e.summary, e.status_note or ""], names[e.id])
