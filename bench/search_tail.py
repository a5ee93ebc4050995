"""Where a new /search's time goes, by the shape of the query, slowest searches first.

    python -m bench.search_tail --db-url URL --manifest DIR/manifest.json [--n 1000] [--top 15]

Runs the search mix of the in-process section (bench.workload, same seed) on a loaded store, one
search at a time, with the result cache bypassed as for a new question, and times per search:

- `store`: the whole store call (`Reads.search`), what the in-process /search row adds the render to;
- `ranking`: the search backend's ranking statement(s) (FTS5 bm25 / ts_rank_cd), inside that call
  (on PostgreSQL the one statement that also reads the ranked statements' rows);
- `rest`: the difference: the other reads of the same hop, the hop itself, building the hits.

It groups them by the shape of the query (one mid-frequency word, two, a common word and a
mid-frequency one, a rare word: see `Mix.words`) and lists the slowest searches with how many
documents their words match (counted apart, not timed). Prints only; not part of `run.py`. The
figures show which searches make the p99 and what part of them the database's ranking is.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from bench.inprocess import only_scope_checks
from bench.stats import percentile
from bench.synthetic import Manifest
from bench.workload import Mix
from bot.db.engine import create_engine
from bot.db.search import fts5_phrases, query_terms, tsquery_text
from bot.store import Store, pg_search

SHAPES = ("one mid word", "two mid words", "common + mid word", "rare word")


@dataclass(frozen=True)
class Timed:
    """One search: its words, shape, times (ms) and how many documents its words match."""

    words: str
    shape: str
    store_ms: float
    ranking_ms: float
    matches: int = -1


def shape_of(words: str, manifest: Manifest) -> str:
    """The query's shape, as `Mix.words` drew it."""
    parts = words.split()
    if len(parts) == 2:
        return SHAPES[2] if parts[0] in set(manifest.common_words) else SHAPES[1]
    return SHAPES[3] if parts[0] in set(manifest.rare_words) else SHAPES[0]


def _match_count(conn: Connection, words: str) -> int:
    """Documents the ranking scores: those holding all the words (the last as a prefix), or, as
    the search falls back to when none does, any of them."""
    terms = query_terms(words)
    if conn.dialect.name == "sqlite":
        stmt = "SELECT count(*) FROM entry_search WHERE entry_search MATCH :q"
        phrases = fts5_phrases(terms)
        expressions = [" AND ".join(phrases), " OR ".join(phrases)]
    else:
        stmt = "SELECT count(*) FROM entry_search WHERE tsv @@ to_tsquery('english', :q)"
        expressions = [tsquery_text(terms, match_all=True), tsquery_text(terms, match_all=False)]
    found = 0
    for expression in expressions[: 2 if len(terms) > 1 else 1]:
        found = int(conn.execute(text(stmt), {"q": expression}).scalar_one())
        if found:
            break
    return found


@contextmanager
def _timing_ranking(store: Store) -> Iterator[Callable[[], float]]:
    """Wrap the store's ranking so each call's time adds up, for the block; yields a reader that
    resets it.

    On PostgreSQL the ranking statement also reads the ranked statements' rows and whether they
    are current (bot.store.pg_search.ranked_pool): that one statement is what is timed there. It
    is a module's function, so the wrapper is taken off again after the block.
    """
    # the very call this diagnoses
    owner: Any = pg_search if store.engine.dialect.name == "postgresql" else store.reads._search
    name = "ranked_pool" if owner is pg_search else "ranked"
    ranked = getattr(owner, name)
    spent = [0.0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return ranked(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    def take() -> float:
        value, spent[0] = spent[0], 0.0
        return value * 1000

    setattr(owner, name, timed)
    try:
        yield take
    finally:
        setattr(owner, name, ranked)


async def run(db_url: str, manifest: Manifest, n: int) -> list[Timed]:
    """The mix's `n` searches, each timed once after a warm-up pass over the first tenth."""
    store = Store(create_engine(db_url))
    only_scope_checks(store)
    queries = Mix(manifest).many("search", n)
    try:
        await store.catalog.get()
        for q in queries[: max(10, n // 10)]:
            await store.reads.search(q.guild_id, q.options["query"])
        out: list[Timed] = []
        with _timing_ranking(store) as take:
            for q in queries:
                take()
                start = time.perf_counter()
                await store.reads.search(q.guild_id, q.options["query"])
                elapsed = (time.perf_counter() - start) * 1000
                words = q.options["query"]
                out.append(Timed(words, shape_of(words, manifest), elapsed, take()))
        slowest = {t.words for t in sorted(out, key=lambda t: t.store_ms)[-40:]}
        async with store.engine.connect() as conn:
            counts = {w: await conn.run_sync(_match_count, w) for w in sorted(slowest)}
        return [Timed(t.words, t.shape, t.store_ms, t.ranking_ms, counts.get(t.words, -1)) for t in out]
    finally:
        await store.engine.dispose()


def _line(label: str, rows: list[Timed]) -> str:
    store = [t.store_ms for t in rows]
    ranking = statistics.fmean(t.ranking_ms for t in rows)
    rest = statistics.fmean(t.store_ms - t.ranking_ms for t in rows)
    return (
        f"| {label} | {len(rows)} | {percentile(store, 50):.2f} | {percentile(store, 99):.2f} "
        f"| {ranking:.2f} | {rest:.2f} |"
    )


def report(timed: list[Timed], top: int) -> str:
    """The table by shape, then the slowest searches."""
    lines = [
        "| searches | n | store p50 ms | store p99 ms | ranking mean ms | rest mean ms |",
        "|---|---|---|---|---|---|",
        _line("all", timed),
    ]
    lines += [_line(shape, rows) for shape in SHAPES if (rows := [t for t in timed if t.shape == shape])]
    ranked = sorted(timed, key=lambda t: t.store_ms, reverse=True)
    tail = ranked[: max(1, len(timed) // 100)]
    shares = {shape: sum(t.shape == shape for t in tail) for shape in SHAPES}
    lines += [
        "",
        f"the slowest 1 % ({len(tail)}): "
        + ", ".join(f"{shape} {count}" for shape, count in shares.items() if count),
        "",
        "| store ms | ranking ms | rest ms | documents matched | words |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {t.store_ms:.2f} | {t.ranking_ms:.2f} | {t.store_ms - t.ranking_ms:.2f} | "
        f"{t.matches if t.matches >= 0 else '?'} | {t.words} ({t.shape}) |"
        for t in ranked[:top]
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--n", type=int, default=1000, help="searches (default 1000, as the in-process row)")
    parser.add_argument("--top", type=int, default=15, help="slowest searches to list (default 15)")
    args = parser.parse_args(argv)
    timed = asyncio.run(run(args.db_url, Manifest.load(args.manifest), args.n))
    print(report(timed, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
