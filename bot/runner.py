"""Running the bot: resources opened in order, closed in reverse, on SIGTERM/SIGINT too."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import discord

from bot.client import apply_endpoint_overrides, create_bot
from bot.config import Settings
from bot.db.engine import create_engine
from bot.db.schema import ensure_schema
from bot.store import Store

log = logging.getLogger(__name__)


async def open_store(settings: Settings) -> Store:
    """The engine and store for these settings, with the schema in place."""
    engine = create_engine(settings.database_url)
    await ensure_schema(engine)
    return Store(engine, cache_ttl=settings.cache_ttl_seconds)


async def run_bot(settings: Settings) -> int:
    """Connect and serve until closed; returns the process exit code."""
    apply_endpoint_overrides(settings)
    store = await open_store(settings)
    try:
        bot = create_bot(settings, store)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, lambda s=sig: _shutdown(bot, s))
        async with bot:
            try:
                await bot.start(settings.token)
            except discord.LoginFailure:
                log.error("Discord refused the token: check DISCORD_TOKEN")
                return 1
            except discord.PrivilegedIntentsRequired:
                log.error("Discord refused the intents: this bot needs no privileged intents")
                return 1
        log.info("shut down cleanly")
        return 0
    finally:
        await store.engine.dispose()


def _shutdown(bot: discord.Client, sig: signal.Signals) -> None:
    log.info("received %s: closing the gateway and the database", sig.name)
    asyncio.ensure_future(bot.close())  # noqa: RUF006 - close() ends bot.start(), which we await
