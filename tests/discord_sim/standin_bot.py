"""A stand-in bot process for testing the bot fixtures themselves (reads the same environment as the bot).

Run as ``python -m tests.discord_sim.standin_bot``. It syncs /ping and /boots to SYNC_GUILD_IDS, counts its
boots in the SQLite file named by DATABASE_URL, honours SHARD_COUNT/SHARD_IDS, and exits 0 on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

log = logging.getLogger("standin")


def count_boot(database_url: str) -> int:
    """Record a boot in the database file and return how many there were."""
    path = database_url.split("///", 1)[1]
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS boots (n INTEGER)")
        db.execute("INSERT INTO boots VALUES (1)")
        return int(db.execute("SELECT COUNT(*) FROM boots").fetchone()[0])


def make_client(boots: int) -> discord.Client:
    """A (possibly sharded) client with /ping and /boots."""
    shard_count = int(os.environ["SHARD_COUNT"]) if os.environ.get("SHARD_COUNT") else None
    shard_ids = [int(x) for x in os.environ["SHARD_IDS"].split(",")] if os.environ.get("SHARD_IDS") else None
    intents = discord.Intents.default()
    mentions = discord.AllowedMentions.none()
    client: discord.Client
    if shard_count is not None:
        client = discord.AutoShardedClient(
            intents=intents,
            allowed_mentions=mentions,
            shard_count=shard_count,
            shard_ids=shard_ids or list(range(shard_count)),
        )
    else:
        client = discord.Client(intents=intents, allowed_mentions=mentions)
    tree = app_commands.CommandTree(client)

    @tree.command(name="ping", description="Which shard answers")
    async def ping(interaction: discord.Interaction) -> None:
        shard = interaction.guild.shard_id if interaction.guild else None
        await interaction.response.send_message(f"pong from shard {shard}")

    @tree.command(name="boots", description="How often this database saw a start")
    async def boots_command(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"boots: {boots}")

    async def setup_hook() -> None:
        for raw in filter(None, os.environ.get("SYNC_GUILD_IDS", "").split(",")):
            guild = discord.Object(int(raw))
            tree.copy_global_to(guild=guild)
            await tree.sync(guild=guild)

    client.setup_hook = setup_hook  # type: ignore[method-assign]
    return client


async def main() -> int:
    """Run until SIGTERM; 1 if the token is refused."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), stream=sys.stdout)
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE_URL"]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    client = make_client(count_boot(os.environ["DATABASE_URL"]))
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(client.close()))
    try:
        async with client:
            await client.start(os.environ["DISCORD_TOKEN"])
    except discord.LoginFailure:
        log.error("token refused")
        return 1
    log.info("stopped cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
