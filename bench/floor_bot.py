"""The floor: a minimal discord.py bot that answers with constants, for latency comparison.

    python bench/floor_bot.py        # reads the same environment as `python -m bot run`

It registers `/position`, `/timeline` and `/search` with the same options as the real bot (so the
simulator sends identical interactions), answers each with one constant embed and every
autocomplete with 25 constant choices. No database, no rendering, no logic: what is left is
discord.py plus the transport. BENCH_FLOOR_EMBEDS names a JSON file {command: embed dict}
(the benchmark writes real answers of median size there); without it a built-in embed is used.
With BENCH_FLOOR_COMPONENTS=1, /position also sends the components that file holds under
"position_components" (our answer's buttons and menu, as one constant view): the same message
as ours, so the comparison shows what our bot adds apart from what it sends.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import discord
import yarl
from discord import app_commands

log = logging.getLogger("floor")

DEFAULT_EMBED: dict[str, Any] = {
    "title": "Constant answer",
    "description": "A constant description of about a thousand characters. " * 18,
    "fields": [
        {"name": f"Field {i}", "value": "A constant field value. " * 8, "inline": False} for i in range(4)
    ],
    "footer": {"text": "constant footer"},
    "color": 0x2B6CB0,
}
CHOICES = [
    app_commands.Choice(name=f"Constant choice {i} (choice-{i})", value=f"choice-{i}") for i in range(25)
]


def load_embeds() -> dict[str, discord.Embed]:
    """One embed per command, from BENCH_FLOOR_EMBEDS or the built-in constant."""
    raw: dict[str, Any] = {}
    path = os.environ.get("BENCH_FLOOR_EMBEDS")
    if path:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        name: discord.Embed.from_dict(raw.get(name, DEFAULT_EMBED))
        for name in ("position", "timeline", "search")
    }


def constant_view() -> discord.ui.View | None:
    """The /position components of BENCH_FLOOR_EMBEDS as one view, sent as is every time
    (BENCH_FLOOR_COMPONENTS=1); None otherwise."""
    path = os.environ.get("BENCH_FLOOR_EMBEDS")
    if os.environ.get("BENCH_FLOOR_COMPONENTS") != "1" or not path:
        return None
    rows = json.loads(Path(path).read_text(encoding="utf-8")).get("position_components") or []
    view = discord.ui.View(timeout=None)
    for number, row in enumerate(rows):
        for c in row["components"]:
            if c["type"] == 2:
                view.add_item(
                    discord.ui.Button(
                        label=c.get("label"),
                        custom_id=c["custom_id"],
                        disabled=c.get("disabled", False),
                        row=number,
                    )
                )
            elif c["type"] == 3:
                options = [discord.SelectOption(label=o["label"], value=o["value"]) for o in c["options"]]
                view.add_item(
                    discord.ui.Select(
                        custom_id=c["custom_id"],
                        placeholder=c.get("placeholder"),
                        options=options,
                        row=number,
                    )
                )
    view.stop()  # sent as components only, like ours (bot.discord_app.paging)
    return view


async def constant_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete: always the same 25 choices."""
    return CHOICES


def make_client() -> tuple[discord.Client, app_commands.CommandTree[discord.Client]]:
    """A client configured like the real bot (guilds intent only, no caches), with three commands."""
    intents = discord.Intents.none()
    intents.guilds = True
    client = discord.Client(
        intents=intents,
        allowed_mentions=discord.AllowedMentions.none(),
        max_messages=None,
        member_cache_flags=discord.MemberCacheFlags.none(),
        chunk_guilds_at_startup=False,
    )
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    embeds = load_embeds()
    mentions = discord.AllowedMentions.none()
    extra: dict[str, Any] = {"view": view} if (view := constant_view()) is not None else {}

    @tree.command(name="position", description="Constant answer")
    @app_commands.autocomplete(actor=constant_choices, topic=constant_choices)
    async def position(interaction: discord.Interaction, actor: str, topic: str | None = None) -> None:
        await interaction.response.send_message(embed=embeds["position"], allowed_mentions=mentions, **extra)

    @tree.command(name="timeline", description="Constant answer")
    @app_commands.autocomplete(topic=constant_choices, actor=constant_choices)
    async def timeline(
        interaction: discord.Interaction,
        topic: str,
        actor: str | None = None,
        since: app_commands.Range[str, 4, 10] | None = None,
        until: app_commands.Range[str, 4, 10] | None = None,
    ) -> None:
        await interaction.response.send_message(embed=embeds["timeline"], allowed_mentions=mentions)

    @tree.command(name="search", description="Constant answer")
    async def search(interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]) -> None:
        await interaction.response.send_message(embed=embeds["search"], allowed_mentions=mentions)

    async def setup_hook() -> None:
        for raw in filter(None, os.environ.get("SYNC_GUILD_IDS", "").split(",")):
            guild = discord.Object(int(raw))
            tree.copy_global_to(guild=guild)
            await tree.sync(guild=guild)

    client.setup_hook = setup_hook  # type: ignore[method-assign]
    return client, tree


async def main() -> int:
    """Serve until SIGTERM."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), stream=sys.stderr)
    logging.getLogger("discord.gateway").setLevel(logging.WARNING)
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE_URL"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    client, _tree = make_client()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(client.close()))
    async with client:
        await client.start(os.environ["DISCORD_TOKEN"])
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
