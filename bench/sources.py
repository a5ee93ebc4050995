"""The source poller's throughput: drafts per second for N sources of M items, and its memory.

    .venv/bin/python -m bench.sources [--db sqlite|postgres|both] [--sources 500] [--items 50]

Serves N RSS feeds of M fresh items each from a loopback aiohttp server in this process, adds
N sources (50 per server) (SOURCE_MIN_INTERVAL_SECONDS=0: all share 127.0.0.1), then times one
full poll cycle — claim, guarded fetch, parse, identity, suggestions against the shipped catalog,
one transaction per source — and a second cycle where every item is already seen (all dedupe).
Prints figures; never part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.dbs import POSTGRES_ADMIN_URL
from bench.procinfo import peak_rss_mb, rss_mb
from bot.db.engine import create_engine
from bot.db.schema import ensure_schema
from bot.seed import seed_if_empty
from bot.sources.guard import AllowList
from bot.sources.poller import Poller, PollSettings
from bot.store import Store
from bot.store.curation import Writer

DATA = Path(__file__).resolve().parent.parent / "data"
WORDS = [
    "Russia",
    "NATO",
    "Ukraine",
    "peacekeepers",
    "ceasefire",
    "talks",
    "summit",
    "troops",
    "sanctions",
    "minister",
]


def feed(n: int, items: int) -> bytes:
    """Feed `n`: `items` items with distinct guids and links, text that hits a few actors/topics."""
    parts = []
    for i in range(items):
        title = f"{WORDS[(n + i) % len(WORDS)]} and {WORDS[(n * 7 + i) % len(WORDS)]} update {n}-{i}"
        parts.append(
            f"<item><guid>b{n}-{i}</guid><title>{title}</title><link>https://news.example.org/{n}/{i}?utm_source=rss</link>"
            f"<description>&lt;p&gt;{title}: officials met in Geneva on item {i}.&lt;/p&gt;</description>"
            f"<pubDate>Mon, 02 Dec 2024 10:{i % 60:02d}:00 GMT</pubDate></item>"
        )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench {n}</title>{"".join(parts)}</channel></rss>'
    return body.encode()


async def serve(n_sources: int, items: int) -> tuple[web.AppRunner, str]:
    bodies = {f"/feed/{n}.xml": feed(n, items) for n in range(n_sources)}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=bodies[request.path], content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed/{n}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def run_one(url: str, n_sources: int, items: int) -> dict[str, float]:
    runner, base = await serve(n_sources, items)
    engine = create_engine(url)
    try:
        await ensure_schema(engine)
        store = Store(engine, cache_ttl=60)
        await seed_if_empty(store, DATA)
        allow = AllowList.parse(base.removeprefix("http://"))
        for n in range(n_sources):  # 50 sources per server (the per-server limit), as 500 servers might
            writer = Writer(user_id=1, guild_id=1000 + n // 50, can_curate=True)
            await store.sources.add_source(
                writer, url=f"{base}/feed/{n}.xml", allow=allow, label=f"bench {n}"
            )
        poller = Poller(store, PollSettings(interval=3600, min_host_interval=0, allow=allow, batch=100))
        rss_before = rss_mb()
        started = time.perf_counter()
        first = await poller.poll_once()
        first_s = time.perf_counter() - started
        rss_after = rss_mb()
        drafts = sum(r.new_drafts for r in first)
        errors = [r.error for r in first if r.error]
        # the second cycle: everything already seen (make every source due again)
        async with store.sessions.begin() as session:
            await session.execute(text("UPDATE sources SET next_due_at = created_at"))
        started = time.perf_counter()
        second = await poller.poll_once()
        second_s = time.perf_counter() - started
        await poller.stop()
        return {
            "sources": float(len(first)),
            "drafts": float(drafts),
            "errors": float(len(errors)),
            "first_cycle_s": first_s,
            "drafts_per_s": drafts / first_s if first_s else 0.0,
            "items_per_s": n_sources * items / first_s if first_s else 0.0,
            "dedupe_cycle_s": second_s,
            "dedupe_items_per_s": n_sources * items / second_s if second_s else 0.0,
            "second_cycle_drafts": float(sum(r.new_drafts for r in second)),
            "rss_before_mb": rss_before,
            "rss_after_mb": rss_after,
            "peak_rss_mb": peak_rss_mb(),
        }
    finally:
        await engine.dispose()
        await runner.cleanup()


async def main_async(args: argparse.Namespace) -> int:
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for kind in kinds:
        if kind == "sqlite":
            tmp = Path(tempfile.mkdtemp(prefix="bench-sources-"))
            figures = await run_one(f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}", args.sources, args.items)
        else:
            name = f"bench_sources_{uuid.uuid4().hex[:8]}"
            admin = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
            async with admin.connect() as conn:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                figures = await run_one(
                    POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", args.sources, args.items
                )
            finally:
                async with admin.connect() as conn:
                    await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                await admin.dispose()
        print(f"{kind}: {args.sources} sources × {args.items} items")
        for key, value in figures.items():
            print(f"  {key:22} {value:,.1f}")
        if figures["errors"] or figures["second_cycle_drafts"]:
            print("  UNEXPECTED: errors or second-cycle drafts", file=sys.stderr)
            return 1
    return 0


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
