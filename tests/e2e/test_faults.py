"""Faults and lifecycle: gateway drops and reconnects, unexpected errors, restarts, clean shutdown."""

from __future__ import annotations

import asyncio
import re
import time

from sqlalchemy import text

from bot.db.engine import create_engine
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.e2e.helpers import embed_text


async def answers_position(sim: DiscordSimulator, guild: str = "alpha") -> None:
    response = await (await sim.invoke_command(guild, "member", "position", {"actor": "nato"})).response()
    assert response.message is not None
    assert "NATO" in embed_text(response.message)


async def test_resumes_after_dropped_socket(sim: DiscordSimulator, bot: BotProcess) -> None:
    """The gateway socket drops mid-session: the bot RESUMEs (no new IDENTIFY) and keeps answering."""
    mark = sim.gateway_mark()
    await sim.drop_connection()
    await sim.wait_for_dispatch("RESUMED", since=mark, timeout=15)
    await answers_position(sim)
    identifies = [e for e in sim.gateway_events[mark:] if e.direction == "recv" and e.op == 2]
    assert identifies == []


async def test_reconnect_request_is_honoured(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Op 7 RECONNECT: the bot reconnects, resumes and keeps answering."""
    mark = sim.gateway_mark()
    await sim.send_reconnect()
    await sim.wait_for_dispatch("RESUMED", since=mark, timeout=15)
    await answers_position(sim, "beta")


async def test_invalid_session_identifies_again(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Op 9 (not resumable): the bot identifies afresh, gets READY and keeps answering."""
    mark = sim.gateway_mark()
    await sim.send_invalid_session(False)
    await sim.wait_for_dispatch("READY", since=mark, timeout=20)
    await answers_position(sim)


async def test_unexpected_error_gets_apology_with_reference(
    sim: DiscordSimulator, bot_factory: BotLauncher
) -> None:
    """A broken store: the user gets a private apology with a reference id that is in the log."""
    proc = await bot_factory.astart()
    engine = create_engine(proc.env["DATABASE_URL"])
    async with engine.connect() as conn:
        # BEGIN IMMEDIATE on SQLite: a deferred transaction that reads the schema and then writes
        # fails at once ("database is locked") if the just-started bot commits in between
        await conn.execution_options(sqlite_immediate=True)
        async with conn.begin():
            await conn.execute(text("DROP TABLE entry_search"))
    await engine.dispose()
    response = await (await sim.invoke_command("alpha", "member", "search", {"query": "summit"})).response()
    assert response.message is not None
    assert response.message.ephemeral
    match = re.search(r"`([0-9a-f]{8})`", response.message.content)
    assert match, response.message.content
    await asyncio.sleep(0.2)
    assert f"ref={match[1]}" in proc.log_path.read_text()


async def test_restart_does_not_resync_unchanged_commands(
    sim: DiscordSimulator, bot_factory: BotLauncher
) -> None:
    """Commands are synced on the first start only; a restart with the same tree sends no sync."""
    proc = await bot_factory.astart()
    first = [r for r in sim.requests if r.method == "PUT" and "/commands" in r.path]
    assert len(first) == 2  # both test servers in SYNC_GUILD_IDS
    await asyncio.to_thread(bot_factory.restart, proc)
    after = [r for r in sim.requests if r.method == "PUT" and "/commands" in r.path]
    assert after == first
    await answers_position(sim)


async def test_sigterm_shuts_down_cleanly_and_fast(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """SIGTERM closes the gateway and the database within a few seconds, exit code 0."""
    proc = await bot_factory.astart()
    started = time.monotonic()
    code = await asyncio.to_thread(proc.stop)
    assert code == 0
    assert time.monotonic() - started < 5
    assert "shut down cleanly" in proc.log_path.read_text()


async def test_token_never_logged(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """The bot token never appears in the log, even at DEBUG level."""
    proc = await bot_factory.astart(extra_env={"LOG_LEVEL": "DEBUG"})
    await answers_position(sim)
    await asyncio.to_thread(proc.stop)
    log = proc.log_path.read_text()
    assert "logging in using static token" in log
    assert sim.token not in log
