"""The result cache: one computation per key and version, nothing kept across versions or failures."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.discord_app.answers import Answer
from bot.store.cache import ResultCache
from bot.store.reads import answer_weight


async def test_concurrent_requests_share_one_computation() -> None:
    """Eight requests for the same missing key run the query once and all get its answer."""
    cache = ResultCache()
    runs = 0
    gate = asyncio.Event()

    async def compute() -> str:
        nonlocal runs
        runs += 1
        await gate.wait()
        return "answer"

    tasks = [asyncio.create_task(cache.get_or_compute("v1", "k", compute)) for _ in range(8)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*tasks) == ["answer"] * 8
    assert runs == 1


async def test_a_new_version_drops_every_answer() -> None:
    """After a write (new version) the next request recomputes."""
    cache = ResultCache()
    answers = iter(["old", "new"])

    async def compute() -> str:
        return next(answers)

    assert await cache.get_or_compute("v1", "k", compute) == "old"
    assert await cache.get_or_compute("v1", "k", compute) == "old"
    assert await cache.get_or_compute("v2", "k", compute) == "new"


async def test_an_answer_computed_across_a_version_change_is_not_kept() -> None:
    """A result started under v1 and finished after v2 arrived is returned but not cached."""
    cache = ResultCache()

    async def slow() -> str:
        await cache.get_or_compute("v2", "other", fresh)  # another request sees the new version
        return "computed under v1"

    async def fresh() -> str:
        return "v2 answer"

    assert await cache.get_or_compute("v1", "k", slow) == "computed under v1"
    assert await cache.get_or_compute("v2", "k", fresh) == "v2 answer"


async def test_failures_reach_every_waiter_and_are_not_cached() -> None:
    """A NotFound-like error goes to all concurrent requests; the next one tries again."""
    cache = ResultCache()
    calls = 0

    async def failing() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise LookupError("no such actor")

    results = await asyncio.gather(
        *(cache.get_or_compute("v", "k", failing) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, LookupError) for r in results) and calls == 1
    with pytest.raises(LookupError):
        await cache.get_or_compute("v", "k", failing)
    assert calls == 2 and len(cache) == 0


async def test_a_cancelled_computation_lets_a_waiter_compute() -> None:
    """If the request computing a key is cancelled, a request waiting for it computes it itself."""
    cache = ResultCache()
    started = asyncio.Event()

    async def never() -> str:
        started.set()
        await asyncio.sleep(3600)
        return "never"

    async def quick() -> str:
        return "quick"

    first = asyncio.create_task(cache.get_or_compute("v", "k", never))
    await started.wait()
    waiter = asyncio.create_task(cache.get_or_compute("v", "k", quick))
    await asyncio.sleep(0)
    first.cancel()
    assert await waiter == "quick"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_least_recently_used_answers_go_first_when_full() -> None:
    """The cache holds at most `max_weight`; the oldest unused answers are evicted."""
    cache = ResultCache(max_weight=8)

    async def value(v: int) -> int:
        return v

    for i in range(4):
        await cache.get_or_compute("v", i, lambda i=i: value(i), weight=lambda _: 2)
    await cache.get_or_compute("v", 0, lambda: value(-1))  # touch 0: now 1 is the oldest
    await cache.get_or_compute("v", 4, lambda: value(4), weight=lambda _: 2)
    assert await cache.get_or_compute("v", 0, lambda: value(-1)) == 0
    assert await cache.get_or_compute("v", 1, lambda: value(-1)) == -1


def test_rendered_answers_weigh_by_their_size() -> None:
    """A long rendered answer counts as the rows it shows, so distinct searches cannot crowd memory."""
    assert answer_weight(Answer(discord.Embed(title="Russia"))) == 1
    assert answer_weight(Answer(discord.Embed(description="y" * 4000))) == 16
    assert answer_weight(("not", "an", "answer")) == 1
    menu = tuple((f"pos-{i}", f"Item {i}") for i in range(25))
    assert answer_weight(Answer(discord.Embed(description="y" * 4000), entries=menu)) == 16 + 25
