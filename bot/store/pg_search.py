"""A search's reads on PostgreSQL in two round trips instead of five.

On SQLite the whole hop runs on one thread and a statement costs little more than SQLite's own
work; on PostgreSQL each statement is a round trip (~0.2 ms before any work). So there the
ranking, the ranked statements' rows and whether each is current come back from one statement,
and the shown hits' headlines with their events' rows from a second. The statements' and events'
rows carry the columns `Reads._live_rows` reads, by the same names, and the choice of the hits
to show, between the two statements, stays in `Reads`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from bot.db.search import HEADLINE_OPTIONS, POSTGRES_RANKING, RankedId, tsquery_text

ByKey = dict[tuple[str, int], Any]  # (id, scope) → row

# The ranking is PostgresSearch.ranked's (ts_rank_cd, then id); its `rank` orders the outer query.
# A ranked statement's row, if it is not removed, joins as `id`, `guild_id`, … (the columns of a
# search hit); `is_current` compares it with every visible, non-removed statement of its actor on
# its topic, newest first as `_current_stmt` orders them.
_POOL = text(
    f"WITH ranked AS ({POSTGRES_RANKING}),"  # noqa: S608 - a constant of bot.db.search; values are bound
    """
hits AS (
    SELECT p.id, p.guild_id, p.actor_id, p.topic_id, p.stance, p.stated_on, p.precision, p.status,
           p.status_note, p.removed_at
    FROM ranked r JOIN positions p ON p.id = r.entry_id AND p.guild_id = r.guild_id
    WHERE r.kind = 'position' AND p.removed_at IS NULL
),
newest AS (
    SELECT c.id, row_number() OVER (
        PARTITION BY c.actor_id, c.topic_id ORDER BY c.stated_on DESC, c.created_at DESC, c.id DESC
    ) AS n
    FROM positions c
    WHERE (c.actor_id, c.topic_id) IN (SELECT actor_id, topic_id FROM hits)
      AND c.guild_id IN (0, :guild) AND c.removed_at IS NULL
)
SELECT r.entry_id, r.guild_id AS doc_guild, r.kind, h.*,
       h.id IS NOT NULL AND h.id IN (SELECT id FROM newest WHERE n = 1) AS is_current
FROM ranked r LEFT JOIN hits h ON r.kind = 'position' AND h.id = r.entry_id AND h.guild_id = r.guild_id
ORDER BY r.rank DESC, r.entry_id
"""
)
# The headlines of the shown documents (the few (id, scope) pairs not asked for are dropped
# below) and, for events that are not removed, the columns of their search hit.
_SHOWN = text(
    """
SELECT s.entry_id, s.guild_id AS doc_guild, ts_headline('english', s.body, q, :options) AS snippet,
       e.id, e.guild_id, e.occurred_on, e.precision, e.title, e.status, e.status_note, e.removed_at
FROM entry_search s CROSS JOIN to_tsquery('english', :q) AS q
LEFT JOIN events e ON s.kind = 'event' AND e.id = s.entry_id AND e.guild_id = s.guild_id
WHERE s.entry_id = ANY(:ids) AND s.guild_id = ANY(:guilds)
"""
)


def ranked_pool(
    conn: Connection, terms: list[str], scope: int, limit: int, *, match_all: bool
) -> tuple[list[RankedId], ByKey, set[str]]:
    """The best `limit` documents visible to `scope`, by ts_rank_cd then id (as
    PostgresSearch.ranked returns them), the live rows of the statements among them by (id,
    scope), and the ids of those that are their actor's current statement on their topic."""
    rows = conn.execute(_POOL, {"q": tsquery_text(terms, match_all), "guild": scope, "limit": limit}).all()
    ranked = [RankedId(r.entry_id, r.kind, "", r.doc_guild) for r in rows]
    positions = {(r.id, r.guild_id): r for r in rows if r.id is not None}
    return ranked, positions, {r.id for r in rows if r.is_current}


def shown_with_events(
    conn: Connection, terms: list[str], chosen: Sequence[RankedId], *, match_all: bool
) -> tuple[list[RankedId], ByKey]:
    """`chosen` in their order, each with its headline, and the live rows of the events among them."""
    if not chosen:
        return [], {}
    params = {
        "q": tsquery_text(terms, match_all),
        "ids": sorted({c.entry_id for c in chosen}),
        "guilds": sorted({c.guild_id for c in chosen}),
        "options": HEADLINE_OPTIONS,
    }
    keys = {(c.entry_id, c.guild_id) for c in chosen}
    rows = [r for r in conn.execute(_SHOWN, params) if (r.entry_id, r.doc_guild) in keys]
    snippets = {(r.entry_id, r.doc_guild): r.snippet or "" for r in rows}
    events = {(r.id, r.guild_id): r for r in rows if r.id is not None and r.removed_at is None}
    shown = [dataclasses.replace(c, snippet=snippets.get((c.entry_id, c.guild_id), "")) for c in chosen]
    return shown, events
