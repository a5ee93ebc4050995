"""Option types for slash commands: autocomplete for actors, topics and entry ids.

They pass the typed text through unchanged; the store resolves it (slug, name or alias) and
answers "not found, did you mean" itself, so free-typed values work as well as picked ones.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger(__name__)

MAX_OPTION_TEXT = 100


def _choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in pairs[:25]]


class _TextOption(app_commands.Transformer):
    async def transform(self, interaction: discord.Interaction, value: str, /) -> str:
        return str(value).strip()[:MAX_OPTION_TEXT]


class ActorOption(_TextOption):
    """An actor: slug, name or alias, with ranked autocomplete."""

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: BriefingBot = interaction.client  # type: ignore[assignment]
        return _choices(await bot.store.reads.complete_actors(interaction.guild_id, str(value)))


class TopicOption(_TextOption):
    """A topic: slug or title, with ranked autocomplete."""

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: BriefingBot = interaction.client  # type: ignore[assignment]
        return _choices(await bot.store.reads.complete_topics(interaction.guild_id, str(value)))


class EntryIdOption(_TextOption):
    """A position or event id, completed from the ids the server can see."""

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        bot: BriefingBot = interaction.client  # type: ignore[assignment]
        ids = await bot.store.reads.complete_entry_ids(interaction.guild_id, str(value))
        return _choices([(i, i) for i in ids])


class PostableChannelOption(app_commands.Transformer):
    """A channel a digest can be posted in: Discord's picker offers only these types."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        from bot.permissions import POSTABLE_CHANNEL_TYPES

        return list(POSTABLE_CHANNEL_TYPES)

    async def transform(  # type: ignore[override]
        self, interaction: discord.Interaction, value: app_commands.AppCommandChannel, /
    ) -> app_commands.AppCommandChannel:
        return value
