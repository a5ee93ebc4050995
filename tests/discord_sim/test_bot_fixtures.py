"""The bot-process fixtures work: readiness, restarts on one database, shards split across processes."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator

import pytest

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess

STANDIN = [sys.executable, "-m", "tests.discord_sim.standin_bot"]


@pytest.fixture(scope="module")
def sim_server() -> Iterator[DiscordSimulator]:
    """This module's own simulator."""
    with DiscordSimulator() as simulator:
        yield simulator


@pytest.fixture(scope="module")
def bot_command() -> list[str]:
    """Use the stand-in bot, so these tests check the fixtures rather than the project's bot."""
    return STANDIN


async def reply(sim: DiscordSimulator, guild: str, command: str) -> str:
    """Run a command as a plain member and return the reply's content."""
    handle = await sim.invoke_command(guild, "member", command)
    message = (await handle.response()).message
    assert message is not None
    return message.content


async def test_shared_bot_is_ready_and_answers(sim: DiscordSimulator, bot: BotProcess) -> None:
    """The module bot is connected on shard 0/1 with commands synced to both guilds."""
    assert bot.alive and bot.shard_count == 1
    assert await reply(sim, "alpha", "ping") == "pong from shard 0"
    assert [c["name"] for c in await sim.commands("beta")] == ["ping", "boots"]


async def test_shared_bot_is_reused(sim: DiscordSimulator, bot: BotProcess, module_bot: BotProcess) -> None:
    """A second test in the module gets the same process."""
    assert bot is module_bot and await reply(sim, "beta", "ping") == "pong from shard 0"


async def test_restart_keeps_the_database(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """restart() stops with exit code 0 and starts again on the same SQLite file."""
    first = await bot_factory.astart()
    assert await reply(sim, "alpha", "boots") == "boots: 1"
    second = await asyncio.to_thread(bot_factory.restart, first)
    assert first.exit_code == 0 and second.db_path == first.db_path
    assert await reply(sim, "alpha", "boots") == "boots: 2"


async def test_two_processes_split_the_shards(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """SHARD_COUNT=2 with SHARD_IDS 0 and 1 in two processes: each guild is served by its own shard."""
    await bot_factory.astart(shard_count=2, shard_ids=[0])
    await bot_factory.astart(shard_count=2, shard_ids=[1])
    assert await reply(sim, "alpha", "ping") == "pong from shard 0"
    assert await reply(sim, "beta", "ping") == "pong from shard 1"


def test_a_bot_that_dies_is_reported_with_its_log(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """A refused token: the launcher fails fast with the exit code and the log tail."""
    sim.expect_violation(0, status=401)
    with pytest.raises(AssertionError, match=r"exited with code 1[\s\S]*token refused"):
        bot_factory.start(extra_env={"DISCORD_TOKEN": "not-the-token"}, timeout=10)
    bot_factory.processes[-1].expected_exit_codes = (1,)
