"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector + GIN.

Both index the same documents (title + body + names per entry) and answer the same question:
the ids of the best matches visible to one server, best first, with a short snippet of the body.
`names` holds the entry's actor names, topic titles and stance: searchable, never in a snippet.
Matches in a snippet sit between MARK_START and MARK_END (control characters no stored text
holds), so the renderer can escape the text and still show them bold. The parts of a body (summary,
key points, quote, speaker, note) are joined by PART_BREAK, so a snippet that runs across two of
them can show where one ends.
User text never reaches the query language: it is reduced to word tokens first.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.bulk import COPY_MIN_ROWS, chunks, copy_records
from bot.db.frequent_terms import FrequentTerms, marked_also

MAX_TERMS = 12
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
MARK_START = "\x02"
MARK_END = "\x03"
PART_BREAK = "\n"  # between the parts of a body (migration 0013 rewrote older bodies to it)

# The index DDL per dialect. Migration 0010 creates the index with these statements (the
# baseline keeps its own copy of the first definition): change them only together with a new
# migration that moves existing databases to the new definition. A document is keyed by
# (entry_id, guild_id), like its entry: two servers may each have an entry `ev-x` (0012).
SQLITE_DDL: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS entry_search USING fts5("
    "entry_id UNINDEXED, guild_id UNINDEXED, kind UNINDEXED, title, body, names, "
    "tokenize='porter unicode61 remove_diacritics 2')",
)
POSTGRES_DDL: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS entry_search ("
    "entry_id varchar(64) NOT NULL, guild_id bigint NOT NULL, kind varchar(10) NOT NULL, "
    "title text NOT NULL, body text NOT NULL, names text NOT NULL DEFAULT '', "
    "tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', names), 'A') || "
    "setweight(to_tsvector('english', body), 'B')) STORED, "
    "PRIMARY KEY (entry_id, guild_id))",
    "CREATE INDEX IF NOT EXISTS ix_entry_search_tsv ON entry_search USING GIN (tsv)",
)
SEARCH_TABLE = "entry_search"
MERGE_MIN_DOCS = 1000  # documents written by one bulk write: from this many on, FTS5's index is merged


def query_terms(query: str) -> list[str]:
    """The word tokens of a user's query, lowercased, de-duplicated, at most MAX_TERMS."""
    seen: dict[str, None] = {}
    for token in _TOKEN_RE.findall(query.lower()):
        token = token.strip("_")
        if token and len(token) <= 64:
            seen.setdefault(token, None)
    return list(seen)[:MAX_TERMS]


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the index holds for one entry."""

    entry_id: str
    guild_id: int
    kind: str
    title: str
    body: str
    names: str = ""


def position_search_doc(
    entry_id: str, guild_id: int, actor: str, topic: str, stance: str, texts: Sequence[str]
) -> SearchDoc:
    """A position's document: its own text as the body (what snippets show), the names apart."""
    return SearchDoc(
        entry_id, guild_id, "position", f"{actor} on {topic}", body_of(texts), f"{actor} {topic} {stance}"
    )


def event_search_doc(
    entry_id: str, guild_id: int, title: str, texts: Sequence[str], names: Sequence[str]
) -> SearchDoc:
    """An event's document: its own text as the body, its actors' and topics' names apart."""
    return SearchDoc(entry_id, guild_id, "event", title, body_of(texts), " ".join(names))


def body_of(texts: Sequence[str]) -> str:
    """A document body: the entry's non-empty texts, each a part of its own (PART_BREAK between)."""
    return PART_BREAK.join(t.strip() for t in texts if t and t.strip())


@dataclass(frozen=True, slots=True)
class RankedId:
    entry_id: str
    kind: str
    snippet: str
    guild_id: int = 0  # the document's scope: ids are unique per scope only (0012)


class SearchBackend(Protocol):
    """Index maintenance and ranked queries for one database dialect."""

    async def put_many(self, session: AsyncSession, docs: Sequence[SearchDoc]) -> None: ...
    async def add_many(self, session: AsyncSession, docs: Sequence[SearchDoc]) -> None: ...
    async def delete(self, session: AsyncSession, entry_id: str, guild_id: int) -> None: ...
    async def after_bulk(self, session: AsyncSession, documents: int) -> None: ...
    def ranked(
        self,
        conn: Connection,
        terms: list[str],
        guild_id: int,
        limit: int,
        *,
        match_all: bool,
        exact: int = 0,
        generation: Hashable | None = None,
    ) -> list[RankedId]: ...


class _SearchTable:
    """What both backends do alike: a document is a row of `entry_search` keyed by (id, scope)."""

    async def delete(self, session: AsyncSession, entry_id: str, guild_id: int) -> None:
        """Drop the entry's document."""
        await session.execute(
            text("DELETE FROM entry_search WHERE entry_id = :id AND guild_id = :guild"),
            {"id": entry_id, "guild": guild_id},
        )

    async def after_bulk(self, session: AsyncSession, documents: int) -> None:
        """Called once a bulk write (an import) has written `documents` documents; nothing to do here."""


class SqliteSearch(_SearchTable):
    """FTS5 with the porter stemmer; ranked by bm25 with the title weighted above the body."""

    def __init__(self, frequent: FrequentTerms | None = None) -> None:
        self._frequent = frequent or FrequentTerms()

    async def put_many(self, session: AsyncSession, docs: Sequence[SearchDoc]) -> None:
        # FTS5 has no upsert: delete then insert, both in bulk. The delete scans the whole index
        # (entry_id is not indexed), so callers use add_many for entries that had no document.
        delete = text("DELETE FROM entry_search WHERE guild_id = :guild AND entry_id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        for part in chunks(docs):
            for guild in sorted({d.guild_id for d in part}):
                ids = [d.entry_id for d in part if d.guild_id == guild]
                await session.execute(delete, {"guild": guild, "ids": ids})
            await self.add_many(session, part)

    async def add_many(self, session: AsyncSession, docs: Sequence[SearchDoc]) -> None:
        """Index entries that have no document yet (no delete first: new entries only)."""
        if docs:  # plain tuples to the driver: SQLAlchemy's per-row parameter handling costs more
            conn = await session.connection()
            await conn.exec_driver_sql(
                "INSERT INTO entry_search (entry_id, guild_id, kind, title, body, names) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(d.entry_id, d.guild_id, d.kind, d.title, d.body, d.names) for d in docs],
            )

    async def after_bulk(self, session: AsyncSession, documents: int) -> None:
        """After a bulk write of at least MERGE_MIN_DOCS documents, merge the index into one segment.

        FTS5 writes each flush of its pending terms as a new segment and merges them only a few
        at a time, so a large import leaves ten or twenty, and every query looks up each word in
        all of them: on the benchmark store (126,000 documents) the ranking statement took ~10 %
        longer with the 10 segments the import left than with one. Merging takes under a second
        there, in the import's own transaction. Small writes (a curator's edit, one server's
        import) keep FTS5's own merging: merging the whole index on each would cost each of them
        that second.
        """
        if documents >= MERGE_MIN_DOCS:
            conn = await session.connection()
            await conn.exec_driver_sql(MERGE_STATEMENT)

    def ranked(
        self,
        conn: Connection,
        terms: list[str],
        guild_id: int,
        limit: int,
        *,
        match_all: bool,
        exact: int = 0,
        generation: Hashable | None = None,
    ) -> list[RankedId]:
        """The best `limit` documents visible to `guild_id`, by bm25 then id.

        FTS5 sorts by `rank` itself and then reads columns and snippets only for the rows it
        returns; ordered by bm25() and the id in SQL, SQLite's sorter would read every match's
        row and snippet first (~3× the time). FTS5 leaves equal ranks in no set order, so a few
        more rows than needed are read and the ties ordered here; when a tie may run past them,
        the exact statement answers instead. With `exact`, only the first `exact` rows must be the
        best in that order, and a tie at the end of the `limit` may keep any of its documents.
        Of several words that must all match, those in most documents only filter (see
        bot.db.frequent_terms; `generation`, the store version, lets their counts be remembered).
        """
        quoted = fts5_phrases(terms)
        joined = (" AND " if match_all else " OR ").join(quoted)
        frequent = self._frequent.frequent(conn, quoted, generation) if match_all and len(quoted) > 1 else []
        if len(frequent) == len(quoted):
            frequent = []  # ranked by all: which one alone would rank as they do together?
        params = {
            "match": " AND ".join(q for q in quoted if q not in frequent) if frequent else joined,
            "all": joined,
            "rank": _SQLITE_RANK,
            "guild": guild_id,
            "fetch": limit + _SQLITE_SPARE,
            "limit": limit,
            "start": MARK_START,
            "end": MARK_END,
        }
        by_rank, exact_order = _SQLITE_FILTERED if frequent else _SQLITE_PLAIN
        rows = conn.execute(by_rank, params).all()
        bound = min(exact, limit) if exact > 0 else limit
        if len(rows) == limit + _SQLITE_SPARE and bound > 0 and rows[bound - 1].rank == rows[-1].rank:
            rows = conn.execute(exact_order, params).all()
        best = sorted(rows, key=lambda r: (r.rank, r.entry_id))[:limit]
        words, prefix = [t for t, q in zip(terms, quoted, strict=True) if q in frequent], ""
        if frequent and frequent[-1] == quoted[-1]:
            words, prefix = words[:-1], terms[-1]
        return [
            RankedId(
                r.entry_id,
                r.kind,
                marked_also(r.snippet or "", words, prefix, MARK_START, MARK_END),
                r.guild_id,
            )
            for r in best
        ]


MERGE_STATEMENT = f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES('optimize')"  # FTS5's merge-all
# bm25 weights per column: entry_id, guild_id, kind (unindexed), title, body, names.
_BM25_WEIGHTS = "0, 0, 0, 4.0, 1.0, 4.0"
_SQLITE_RANK = f"bm25({_BM25_WEIGHTS})"
_SQLITE_SPARE = 10  # rows read past `limit` to order ties by id
_SQLITE_COLUMNS = (
    "entry_id, guild_id, kind, {rank} AS rank, snippet(entry_search, 4, :start, :end, '…', 24) AS snippet "
    "FROM entry_search WHERE entry_search MATCH :match AND guild_id IN (0, :guild)"
)
_SQLITE_BY_RANK = (
    "SELECT " + _SQLITE_COLUMNS.format(rank="rank") + "{also} AND rank MATCH :rank ORDER BY rank LIMIT :fetch"
)
_SQLITE_EXACT = (  # every match's row read and sorted: only for ties past the spare rows
    "SELECT "
    + _SQLITE_COLUMNS.format(rank=f"bm25(entry_search, {_BM25_WEIGHTS})")
    + "{also} ORDER BY 4, entry_id LIMIT :limit"
)
# Frequent words filter: the documents that match all words, found without ranking. The + keeps
# SQLite from running the ranked MATCH once per listed rowid (250 ms instead of 4 ms).
_SQLITE_ALSO = " AND +rowid IN (SELECT rowid FROM entry_search WHERE entry_search MATCH :all)"
_SQLITE_PLAIN = (text(_SQLITE_BY_RANK.format(also="")), text(_SQLITE_EXACT.format(also="")))
_SQLITE_FILTERED = (
    text(_SQLITE_BY_RANK.format(also=_SQLITE_ALSO)),
    text(_SQLITE_EXACT.format(also=_SQLITE_ALSO)),
)


class PostgresSearch(_SearchTable):
    """A generated, weighted tsvector with a GIN index; ranked by ts_rank_cd."""

    async def put_many(self, session: AsyncSession, docs: Sequence[SearchDoc]) -> None:
        for part in chunks(docs):
            await session.execute(
                text(
                    "INSERT INTO entry_search (entry_id, guild_id, kind, title, body, names) "
                    "VALUES (:entry_id, :guild_id, :kind, :title, :body, :names) "
                    "ON CONFLICT (entry_id, guild_id) DO UPDATE SET kind = EXCLUDED.kind, "
                    "title = EXCLUDED.title, body = EXCLUDED.body, names = EXCLUDED.names"
                ),
                [_params(d) for d in part],
            )

    async def add_many(self, session: AsyncSession, docs: Sequence[SearchDoc]) -> None:
        """Index entries that have no document yet: COPY for a large batch, else as put_many."""
        if len(docs) < COPY_MIN_ROWS:
            await self.put_many(session, docs)
            return
        await copy_records(
            session,
            SEARCH_TABLE,
            ["entry_id", "guild_id", "kind", "title", "body", "names"],
            [(d.entry_id, d.guild_id, d.kind, d.title, d.body, d.names) for d in docs],
        )

    def ranked(
        self,
        conn: Connection,
        terms: list[str],
        guild_id: int,
        limit: int,
        *,
        match_all: bool,
        exact: int = 0,
        generation: Hashable | None = None,
    ) -> list[RankedId]:
        """The best `limit` documents visible to `guild_id`, by ts_rank_cd then id (always exact), without
        snippets (ts_headline re-reads the body and costs more per row than the ranking: the store
        makes them for the few hits it shows, bot.store.pg_search, which also runs this ranking
        inside the one statement of its pool)."""
        rows = conn.execute(
            _POSTGRES_RANKED, {"q": tsquery_text(terms, match_all), "guild": guild_id, "limit": limit}
        )
        return [RankedId(r.entry_id, r.kind, "", r.guild_id) for r in rows]


def fts5_phrases(terms: list[str]) -> list[str]:
    """The terms as FTS5 phrases: each quoted (a literal string, never FTS syntax), the last a prefix."""
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return quoted


def tsquery_text(terms: list[str], match_all: bool) -> str:
    """The tsquery text of the terms, the last a prefix. Terms are \\w+ tokens, so joining them with
    & or | cannot inject tsquery syntax."""
    parts = [f"{t}:*" if i == len(terms) - 1 else t for i, t in enumerate(terms)]
    return (" & " if match_all else " | ").join(parts)


POSTGRES_RANKING = (  # the best :limit documents visible to :guild for the tsquery text :q
    "SELECT entry_id, guild_id, kind, ts_rank_cd(tsv, q) AS rank FROM entry_search, to_tsquery('english', :q) AS q "
    "WHERE tsv @@ q AND guild_id IN (0, :guild) "
    "ORDER BY ts_rank_cd(tsv, q) DESC, entry_id LIMIT :limit"
)
_POSTGRES_RANKED = text(POSTGRES_RANKING)
HEADLINE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, MaxFragments=1"


def _params(doc: SearchDoc) -> dict[str, object]:
    return {
        "entry_id": doc.entry_id,
        "guild_id": doc.guild_id,
        "kind": doc.kind,
        "title": doc.title,
        "body": doc.body,
        "names": doc.names,
    }


def search_ddl(dialect: str) -> tuple[str, ...]:
    """The statements that create the search index on a SQLAlchemy dialect."""
    if dialect == "sqlite":
        return SQLITE_DDL
    if dialect == "postgresql":
        return POSTGRES_DDL
    raise ValueError(f"no search backend for {dialect}")


def backend_for(dialect: str) -> SearchBackend:
    """The search backend for a SQLAlchemy dialect name."""
    if dialect == "sqlite":
        return SqliteSearch()
    if dialect == "postgresql":
        return PostgresSearch()
    raise ValueError(f"no search backend for {dialect}")
