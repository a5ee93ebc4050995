"""Running the bot: resources opened in order, closed in reverse, on SIGTERM/SIGINT too."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import discord

from bot.config import Settings
from bot.db.faults import cause_text, database_cause
from bot.discord_app.client import apply_endpoint_overrides, create_bot
from bot.discord_app.health import HealthServer
from bot.store.startup import open_store

log = logging.getLogger(__name__)


async def run_bot(settings: Settings) -> int:
    """Connect and serve until closed; returns the process exit code."""
    apply_endpoint_overrides(settings)
    try:
        store = await open_store(settings)
    except Exception as exc:
        cause = database_cause(exc)
        if cause is None:
            raise
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        log.error(
            "cannot start: %s (%s: %s); check DATABASE_URL", cause_text(cause), type(exc).__name__, first
        )
        # aiosqlite's worker thread hands its failed connect back to this loop a moment later;
        # closing the loop first makes that thread print a traceback under our one line.
        await asyncio.sleep(0.2)
        return 1
    health: HealthServer | None = None
    try:
        bot = create_bot(settings, store)
        if settings.health_port:
            health = HealthServer(bot, store, bot.metrics, settings.health_host, settings.health_port)
            await health.start()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, _shutdown, bot, sig)
        async with bot:
            # A rejected token or unreachable Discord propagates: bot.failures prints its one line.
            await bot.start(settings.token)
        log.info("shut down cleanly")
        return 0
    finally:
        if health is not None:
            await health.stop()
        await store.engine.dispose()


def _shutdown(bot: discord.Client, sig: signal.Signals) -> None:
    log.info("received %s: closing the gateway and the database", sig.name)
    asyncio.ensure_future(bot.close())  # noqa: RUF006 - close() ends bot.start(), which we await
