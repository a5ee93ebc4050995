"""Option types for slash commands: autocomplete for actors, topics and entry ids.

They pass the typed text through unchanged; the store resolves it (slug, name or alias) and
answers "not found, did you mean" itself, so free-typed values work as well as picked ones.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.discord_app import internals
from bot.discord_app.app import briefing_client
from bot.discord_app.tree import observed

log = logging.getLogger(__name__)

MAX_OPTION_TEXT = 100


# discord.py types every autocomplete with the values of any option type; these options hold text.
OptionValue = int | float | str


def _choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[OptionValue]]:
    return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in pairs[:25]]


class _TextOption(app_commands.Transformer):
    async def transform(self, interaction: discord.Interaction, value: str, /) -> str:
        return str(value).strip()[:MAX_OPTION_TEXT]

    async def autocomplete(
        self, interaction: discord.Interaction, value: OptionValue, /
    ) -> list[app_commands.Choice[OptionValue]]:
        # Answered and timed here (discord.py has no public hook at the end of an autocomplete):
        # discord.py sends nothing more once the interaction is answered.
        with observed(interaction):
            await internals.send_choices(interaction, await self.complete(interaction, str(value)))
        return []

    async def complete(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[OptionValue]]:
        """The choices for what the member has typed so far (none by default)."""
        return []


class ActorOption(_TextOption):
    """An actor: slug, name or alias, with ranked autocomplete."""

    async def complete(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[OptionValue]]:
        bot = briefing_client(interaction)
        return _choices(await bot.store.reads.complete_actors(interaction.guild_id, typed))


class TopicOption(_TextOption):
    """A topic: slug or title, with ranked autocomplete."""

    async def complete(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[OptionValue]]:
        bot = briefing_client(interaction)
        return _choices(await bot.store.reads.complete_topics(interaction.guild_id, typed))


class EntryIdOption(_TextOption):
    """A position or event id, completed from the ids the server can see."""

    async def complete(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[OptionValue]]:
        bot = briefing_client(interaction)
        ids = await bot.store.reads.complete_entry_ids(interaction.guild_id, typed)
        return _choices([(i, i) for i in ids])


def _list_choices(typed: str, pairs: list[tuple[str, str]]) -> list[app_commands.Choice[OptionValue]]:
    """Choices that complete the last name of a comma-separated list, keeping the names before it."""
    done = [n.strip() for n in typed.split(",")[:-1] if n.strip()]
    out = []
    for label, value in pairs:
        if value in done:
            continue
        full = ", ".join([*done, value])
        if len(full) <= MAX_OPTION_TEXT:
            shown = ", ".join([*done, label]) if done else label
            out.append((shown[:100], full))
    return _choices(out)


class ActorListOption(_TextOption):
    """Several actors, comma-separated; autocomplete completes the last one."""

    async def complete(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[OptionValue]]:
        bot = briefing_client(interaction)
        last = typed.split(",")[-1].strip()
        return _list_choices(typed, await bot.store.reads.complete_actors(interaction.guild_id, last))


class TopicListOption(_TextOption):
    """Several topics, comma-separated; autocomplete completes the last one."""

    async def complete(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[OptionValue]]:
        bot = briefing_client(interaction)
        last = typed.split(",")[-1].strip()
        return _list_choices(typed, await bot.store.reads.complete_topics(interaction.guild_id, last))


class PostableChannelOption(app_commands.Transformer):
    """A channel a digest can be posted in: Discord's picker offers only these types."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        from bot.discord_app.permissions import POSTABLE_CHANNEL_TYPES

        return list(POSTABLE_CHANNEL_TYPES)

    async def transform(
        self, interaction: discord.Interaction, value: app_commands.AppCommandChannel, /
    ) -> app_commands.AppCommandChannel:
        return value
