"""Two bot processes (shard 0 and shard 1 of 2) on one PostgreSQL: each answers its servers, a write
through one is read through the other, and 200 digests due in the same minute are posted exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db.engine import create_engine
from bot.store import Store
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.e2e.helpers import answer, embed_text
from tests.e2e.test_digest import write_clock
from tests.support.databases import postgres_database_url
from tests.support.digests import delivery_statuses


@pytest.fixture
def bot_database() -> None:
    """These tests name their PostgreSQL database themselves (not parametrized)."""
    return


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database (skips without a server; fails under CI=true)."""
    async with postgres_database_url() as url:
        yield url


async def start_pair(launcher: BotLauncher, pg_url: str, clock: Path) -> tuple[BotProcess, BotProcess]:
    env = {
        "DATABASE_URL": pg_url,
        "CACHE_TTL_SECONDS": "0.5",
        "DIGEST_CLOCK_FILE": str(clock),
        "DIGEST_TICK_SECONDS": "0.2",
    }
    first, second = await asyncio.gather(
        launcher.astart(shard_count=2, shard_ids=[0], extra_env=env),
        launcher.astart(shard_count=2, shard_ids=[1], extra_env=env),
    )
    return first, second


async def test_two_shards_share_one_store(
    pg_url: str, sim: DiscordSimulator, bot_factory: BotLauncher, tmp_path: Path
) -> None:
    """Alpha (shard 0) and beta (shard 1) are answered by different processes that see each other's writes."""
    clock = tmp_path / "clock.txt"
    write_clock(clock, datetime.now(UTC))
    await start_pair(bot_factory, pg_url, clock)
    sessions = await sim.sessions()
    assert sorted(s.shard for s in sessions if s.connected and s.shard[1] == 2) == [(0, 2), (1, 2)]
    for guild in ("alpha", "beta"):
        message = (
            await (await sim.invoke_command(guild, "member", "position", {"actor": "russia"})).response()
        ).message
        assert message is not None and "Russia" in embed_text(message)
    handle = await sim.invoke_command(
        "alpha",
        "bot_owner",
        "admin actor-add",
        {"slug": "moldova", "name": "Moldova", "aliases": "md", "scope": "global"},
        ignore_default_permissions=True,
    )
    assert "Added actor" in (await answer(handle)).content
    for _ in range(40):  # the other process's catalog refreshes within CACHE_TTL_SECONDS
        choices = await sim.autocomplete("beta", "member", "position", {"actor": "mold"}, focused="actor")
        if choices:
            break
        await asyncio.sleep(0.1)
    assert [c["value"] for c in choices] == ["moldova"]


async def test_200_digests_due_together_post_exactly_once(
    pg_url: str, sim: DiscordSimulator, bot_factory: BotLauncher, tmp_path: Path
) -> None:
    """Two processes, 200 subscriptions due in the same minute: exactly 200 posts, one per subscription."""
    clock = tmp_path / "clock.txt"
    write_clock(clock, datetime.now(UTC))
    await start_pair(bot_factory, pg_url, clock)
    start = datetime.now(UTC)  # after the first start's seed import: no changes to report
    write_clock(clock, start)
    channels = [await sim.add_channel("beta", f"digest-load-{i}") for i in range(4)]
    engine = create_engine(pg_url)
    store = Store(engine)
    due_time = (start + timedelta(hours=1)).strftime("%H:%M")
    try:
        for i in range(200):
            await store.digests.subscribe(
                guild_id=sim.guild("beta").id,
                channel_id=channels[i % 4].id,
                topics=[f"load-{i}"],  # one subscription per channel and topics: 50 distinct per channel
                cadence="daily",
                time_of_day=due_time,
                timezone="UTC",
                weekday=0,
                post_empty=True,
                user_id=1,
                now=start,
                max_per_server=1000,  # bulk set-up beyond the per-server cap
            )
        write_clock(clock, start + timedelta(hours=1, minutes=1))
        for _ in range(150):
            counts = [len(await sim.channel_messages(c)) for c in channels]
            if sum(counts) >= 200:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # nothing more may arrive
        counts = [len(await sim.channel_messages(c)) for c in channels]
        assert counts == [50, 50, 50, 50]
        posted = 0
        for sub in await store.digests.subscriptions(sim.guild("beta").id):
            assert await delivery_statuses(engine, sub.id) == ["posted"]
            posted += 1
        assert posted == 200
    finally:
        await engine.dispose()
