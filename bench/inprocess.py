"""In-process latency of each store query and render, on a loaded store (no Discord, no network).

    python -m bench.inprocess --db-url URL --manifest DIR/manifest.json [--n 1000] [--out result.json]

For every kind of request it times, one request at a time after a warm-up pass: the store query
(`store`), the renderer on its result (`render`), and the whole answer a command handler awaits
(`answer` = store + render through bot.discord_app.answers). It also times the first catalog load, and
writes the median-size real answer of /position, /timeline and /search for the floor bot.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord

from bench.procinfo import peak_rss_mb
from bench.stats import summary
from bench.synthetic import Manifest
from bench.workload import KINDS, Mix, Query
from bot import render
from bot.db.engine import create_engine
from bot.discord_app import answers
from bot.discord_app.options import _choices
from bot.domain import BriefQuery, EntryQuery, FuzzyDate, PositionQuery, SearchQuery, TimelineQuery
from bot.errors import BriefingError
from bot.store import Store

Step = Callable[[], Awaitable[Any]]


def _since(q: Query) -> FuzzyDate | None:
    return FuzzyDate.parse(q.options["since"]) if q.options.get("since") else None


async def _store_step(store: Store, q: Query) -> Any:
    """The store query a handler makes for `q`."""
    reads, g, o = store.reads, q.guild_id, q.options
    if q.kind == "autocomplete_entry":
        return await reads.complete_entry_ids(g, o["id"])
    if q.kind == "autocomplete":
        if q.focused == "actor":
            return await reads.complete_actors(g, o["actor"])
        return await reads.complete_topics(g, o["topic"])
    if q.kind == "position":
        return await reads.position_page(
            g, o["actor"], o.get("topic") or None, q.page, render.POSITIONS_PER_PAGE
        )
    if q.kind in ("timeline", "timeline_page"):
        topic = await reads.resolve_topic(g, o["topic"])
        query = TimelineQuery(topic=o["topic"], since=_since(q))
        return topic, await reads.timeline(g, query, q.page, render.TIMELINE_PAGE_SIZE)
    if q.kind == "search":
        return await reads.search(g, o["query"])
    if q.kind == "brief":
        return await reads.briefing(g, o["topic"])
    return await reads.entry(g, o["id"])


def _render_step(q: Query, result: Any) -> Any:
    """The renderer call a handler makes on the store's result."""
    if q.kind == "autocomplete_entry":
        return _choices([(i, i) for i in result])
    if q.kind == "autocomplete":
        return _choices(result)
    if q.kind == "position":
        actor, topic, found = result
        return render.positions_embed(actor, found.items, found.total, found.number, topic)
    if q.kind in ("timeline", "timeline_page"):
        topic, page = result
        return render.timeline_embed(topic, page, None, _since(q), None)
    if q.kind == "search":
        return render.search_embed(q.options["query"], result)
    if q.kind == "brief":
        return render.brief_embed(result)
    return render.entry_pages(result)


async def _answer_step(store: Store, q: Query) -> discord.Embed | None:
    """The whole answer (bot.discord_app.answers), as the command handler awaits it."""
    g, o = q.guild_id, q.options
    if q.kind in ("autocomplete", "autocomplete_entry"):
        _render_step(q, await _store_step(store, q))
        return None
    if q.kind == "position":
        return (await answers.position(store, g, PositionQuery(o["actor"], o.get("topic") or None))).embed
    if q.kind in ("timeline", "timeline_page"):
        query = answers.timeline_query(o["topic"], since=o.get("since"))
        return (await answers.timeline(store, g, query, q.page)).embed
    if q.kind == "search":
        return (await answers.search(store, g, SearchQuery(o["query"]))).embed
    if q.kind == "brief":
        return (await answers.brief(store, g, BriefQuery(o["topic"]))).embed
    return (await answers.entry(store, g, EntryQuery(o["id"]))).embed


def only_scope_checks(store: Store) -> None:
    """Make `store` compute every answer afresh, keeping only its per-server scope checks.

    A server's scope check (which of its own entries exist) is computed once per server and
    store version and then shared by all its questions, so a new question from a server seen
    before does not pay it; every other cached result is bypassed.
    """
    cache = store.reads.cache
    keep = type(cache)()

    async def get_or_compute(version: Any, key: Any, compute: Any, weight: Any = lambda _: 1) -> Any:
        if isinstance(key, tuple) and key[:1] == ("local",):
            return await keep.get_or_compute(version, key, compute, weight)
        return await compute()

    cache.get_or_compute = get_or_compute  # type: ignore[method-assign]


async def _timed(step: Step) -> tuple[float, Any, bool]:
    start = time.perf_counter()
    try:
        result = await step()
    except BriefingError:
        return time.perf_counter() - start, None, False
    return time.perf_counter() - start, result, True


async def bench_kind(store: Store, uncached: Store, queries: list[Query]) -> dict[str, Any]:
    """Warm up on the queries, then time store, render and answer for each.

    `store` and `render` run on `uncached` (a Store whose result cache keeps nothing): the cost of
    a question nobody asked since the last write. `answer` runs on `store`, as the bot does, with
    the result cache as the requests before it left it.
    """
    for q in queries[: max(10, len(queries) // 10)]:
        await _timed(lambda q=q: _answer_step(store, q))
        await _timed(lambda q=q: _store_step(uncached, q))
    store_t, render_t, answer_t, sizes = [], [], [], []
    errors = 0
    for q in queries:
        elapsed, result, ok = await _timed(lambda q=q: _store_step(uncached, q))
        if not ok:
            errors += 1
            continue
        store_t.append(elapsed)
        start = time.perf_counter()
        _render_step(q, result)
        render_t.append(time.perf_counter() - start)
        elapsed, embed, ok = await _timed(lambda q=q: _answer_step(store, q))
        answer_t.append(elapsed)
        if isinstance(embed, discord.Embed):
            data = embed.to_dict()
            sizes.append((len(json.dumps(data)), data))
    sizes.sort(key=lambda s: s[0])
    return {
        "store": summary(store_t),
        "render": summary(render_t),
        "answer": summary(answer_t),
        "uncached": summary([a + b for a, b in zip(store_t, render_t, strict=True)]),
        "errors": errors,
        "median_embed": sizes[len(sizes) // 2][1] if sizes else None,
        "median_embed_chars": sizes[len(sizes) // 2][0] if sizes else 0,
    }


async def run(db_url: str, manifest: Manifest, n: int, kinds: tuple[str, ...]) -> dict[str, Any]:
    """Every kind on one store; the first catalog load is timed on its own."""
    store = Store(create_engine(db_url))
    uncached = Store(create_engine(db_url))
    cache = getattr(store.reads, "cache", None)  # None in code from before the result cache
    if cache is not None:
        only_scope_checks(uncached)
    try:
        start = time.perf_counter()
        await store.catalog.get()
        catalog_cold = time.perf_counter() - start
        await uncached.catalog.get()
        mix = Mix(manifest)
        results = {kind: await bench_kind(store, uncached, mix.many(kind, n)) for kind in kinds}
        hits, misses = (cache.hits, cache.misses) if cache is not None else (0, 0)
    finally:
        await store.engine.dispose()
        await uncached.engine.dispose()
    return {
        "catalog_cold_ms": catalog_cold * 1000,
        "kinds": results,
        "peak_rss_mb": peak_rss_mb(),
        "cache": {"hits": hits, "misses": misses},
    }


def main(argv: list[str] | None = None) -> int:
    """Command line (the benchmark runs this in its own process)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--n", type=int, default=1000, help="requests per kind (default 1000)")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--floor-embeds", type=Path, help="write median-size answers here for the floor bot")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.db_url, Manifest.load(args.manifest), args.n, tuple(args.kinds.split(","))))
    if args.floor_embeds:
        embeds = {
            k: result["kinds"][k]["median_embed"]
            for k in ("position", "timeline", "search")
            if k in result["kinds"]
        }
        args.floor_embeds.write_text(json.dumps(embeds), encoding="utf-8")
    for kind in result["kinds"].values():
        kind.pop("median_embed", None)
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
