"""What the cogs and handlers may use of the running bot, whichever class runs it.

`BriefingBot` (one connection) and `ShardedBriefingBot` share no Bot base class in discord.py
(`commands.AutoShardedBot` is not a `commands.Bot`), so code that receives "the bot" types it with the
`BriefingApp` protocol, and handlers get it from an interaction with `briefing_client`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.digest.scheduler import DigestScheduler
    from bot.discord_app.pending_imports import PendingImports
    from bot.metrics import Metrics
    from bot.sources.poller import Poller
    from bot.store import Store


class BriefingApp(Protocol):
    """The running bot as the Discord-facing code sees it: its services and the discord.py calls used."""

    @property
    def store(self) -> Store: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def metrics(self) -> Metrics: ...

    @property
    def digest_scheduler(self) -> DigestScheduler: ...

    @property
    def sources_poller(self) -> Poller: ...

    @property
    def pending_imports(self) -> PendingImports: ...

    @property
    def tree(self) -> app_commands.CommandTree[Any]: ...

    @property
    def user(self) -> discord.ClientUser | None: ...

    @property
    def application_id(self) -> int | None: ...

    async def add_cog(self, cog: commands.Cog, /, *, override: bool = False) -> None: ...

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[discord.ui.Item[Any]]]) -> None: ...

    def remove_dynamic_items(self, *items: type[discord.ui.DynamicItem[discord.ui.Item[Any]]]) -> None: ...


def briefing_client(interaction: discord.Interaction[Any]) -> BriefingApp:
    """The bot that received this interaction (either bot class); TypeError for any other client."""
    from bot.discord_app.client import (  # local: a cycle
        BriefingBot,
        ShardedBriefingBot,
    )

    client = interaction.client
    if not isinstance(client, BriefingBot | ShardedBriefingBot):
        raise TypeError(f"interaction received by {type(client).__name__}, not a briefing bot")
    return client
