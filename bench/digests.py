"""Digest composition for many subscriptions, after a day of changes, on a loaded store.

    python -m bench.digests --db-url URL --manifest DIR/manifest.json [--subs 1000] [--out result.json]

Creates `--subs` daily subscriptions spread over the servers (30 % for every topic, the rest for
one to three topics), writes a day of changes through the store's import (new positions and
events, edited and disputed positions), then composes every subscription's digest for that
window exactly as the scheduler does (DigestScheduler.compose, then render.digest_pages) —
one after another, then again with the scheduler's concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import random
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.procinfo import peak_rss_mb
from bench.stats import summary
from bench.synthetic import Manifest
from bench.text import Weighted
from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.db.engine import create_engine
from bot.digest.scheduler import CONCURRENT_POSTS, DigestScheduler
from bot.digest_model.types import Subscription
from bot.domain import FuzzyDate, Source, Stance, Status
from bot.drills import Clock
from bot.render.digest import digest_pages
from bot.store import Store


def day_of_changes(manifest: Manifest, rng: random.Random, new_positions: int, new_events: int) -> Dataset:
    """New statements and events on popular actors and topics, dated today."""
    actors = Weighted(rng, len(manifest.actors), 0.7)
    topics = Weighted(rng, len(manifest.topics), 0.6)
    today = FuzzyDate(date.today(), "day")
    words = manifest.middle_words

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    def sources(i: int) -> tuple[Source, ...]:
        return (
            Source(url=f"https://daily.example.org/{i}", publisher="Daily Wire Service", published=today),
        )

    positions = tuple(
        PositionRecord(
            id=f"pos-day-{i:05d}",
            actor=manifest.actors[actors.one()],
            topic=manifest.topics[topics.one()],
            stance=rng.choice(list(Stance)),
            summary=text(40),
            stated=today,
            sources=sources(i),
        )
        for i in range(new_positions)
    )
    events = tuple(
        EventRecord(
            id=f"ev-day-{i:05d}",
            date=today,
            title=text(8)[:200],
            summary=text(30),
            sources=sources(i),
            actors=tuple({manifest.actors[actors.one()] for _ in range(2)}),
            topics=tuple({manifest.topics[topics.one()] for _ in range(rng.choice((1, 2)))}),
        )
        for i in range(new_events)
    )
    return Dataset(positions=positions, events=events)


async def edits(store: Store, manifest: Manifest, rng: random.Random, n: int) -> Dataset:
    """`n` existing positions with a new stance; every fifth marked disputed (a correction)."""
    ids = set(rng.sample(manifest.position_ids, min(n, len(manifest.position_ids))))
    current = await store.reads.export(0, only_ids=ids)
    changed = []
    for i, p in enumerate(current.positions):
        stance = next(s for s in Stance if s != p.stance)
        if i % 5 == 0:
            changed.append(
                dataclasses.replace(p, status=Status.DISPUTED, status_note="Contradicted by the record.")
            )
        else:
            changed.append(dataclasses.replace(p, stance=stance))
    return Dataset(positions=tuple(changed))


async def subscribe_all(store: Store, manifest: Manifest, rng: random.Random, n: int) -> list[Subscription]:
    """`n` daily subscriptions, round-robin over the servers."""
    topics = Weighted(rng, len(manifest.topics), 0.6)
    now = datetime.now(UTC)
    subs = []
    for i in range(n):
        guild_id = manifest.guild_ids[i % len(manifest.guild_ids)]
        local = manifest.local.get(str(guild_id), {}).get("topics", [])
        chosen: list[str] = []
        if rng.random() >= 0.3:
            chosen = [manifest.topics[topics.one()] for _ in range(rng.choice((1, 2, 3)))]
            if local and rng.random() < 0.2:
                chosen.append(local[0])
        subs.append(
            await store.digests.subscribe(
                guild_id=guild_id,
                channel_id=10_000 + i,
                topics=chosen,
                cadence="daily",
                time_of_day="08:00",
                timezone="Europe/Kyiv",
                weekday=0,
                post_empty=False,
                user_id=1,
                now=now,
            )
        )
    return subs


CONCURRENT_PASS_LIMIT = 120.0  # seconds


async def _poster(channel_id: int, embed: Any, nonce: str, choices: Any = ()) -> int:
    raise RuntimeError("the benchmark composes digests; it never posts")


async def run(db_url: str, manifest: Manifest, n_subs: int) -> dict[str, Any]:
    """Subscriptions, a day of changes, then every digest composed (sequentially, then concurrently)."""
    rng = random.Random(3)
    store = Store(create_engine(db_url))
    try:
        subs = await subscribe_all(store, manifest, rng, n_subs)
        since = datetime.now(UTC)
        setup = time.perf_counter()
        report = await store.writes.import_dataset(
            day_of_changes(manifest, rng, 150, 300), reason="bench day"
        )
        report2 = await store.writes.import_dataset(
            await edits(store, manifest, rng, 60), reason="bench edits"
        )
        setup = time.perf_counter() - setup
        until = datetime.now(UTC)
        scheduler = DigestScheduler(store, _poster, clock=Clock(), tick_seconds=60)
        times: list[float] = []
        changes: list[int] = []
        render = 0.0
        start = time.perf_counter()
        for sub in subs:
            t = time.perf_counter()
            content = await scheduler.compose(sub, since, until)
            r = time.perf_counter()
            digest_pages(content)
            done = time.perf_counter()
            render += done - r
            times.append(done - t)
            changes.append(len(content.changes))
        sequential = time.perf_counter() - start
        gate = asyncio.Semaphore(CONCURRENT_POSTS)

        async def one(sub: Subscription) -> None:
            async with gate:
                digest_pages(await scheduler.compose(sub, since, until))

        concurrent = None  # skipped when one pass already took minutes: it would only say the same
        if sequential <= CONCURRENT_PASS_LIMIT:
            start = time.perf_counter()
            await asyncio.gather(*(one(s) for s in subs))
            concurrent = time.perf_counter() - start
    finally:
        await store.engine.dispose()
    return {
        "subscriptions": len(subs),
        "changes_written": len(report.added) + len(report.changed) + len(report2.changed),
        "setup_write_s": setup,
        "sequential_s": sequential,
        "sequential_render_s": render,  # of which digest_pages; the rest is DigestScheduler.compose
        "concurrent_s": concurrent,
        "per_digest": summary(times),
        "changes_per_digest": {"p50": sorted(changes)[len(changes) // 2], "max": max(changes)},
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line (the benchmark runs this in its own process)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--subs", type=int, default=1000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.db_url, Manifest.load(args.manifest), args.subs))
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
