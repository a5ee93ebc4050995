"""Writes from Discord: answered in time, bounded, reported, and done once per interaction.

`async with writing(interaction):` around a command's (or modal's, or button's) write:

1. defers the interaction (ephemeral) before anything touches the database, so a slow or
   blocked database can never miss Discord's 3 s;
2. names the interaction to the store, whose write transaction records a receipt keyed by the
   interaction id: a replayed interaction is answered "already saved" and writes nothing;
3. marks the interaction as a write, so a failure is reported as "Not saved — the database is
   busy/unreachable, try again" (bot.discord_app.tree) instead of silence or a generic apology.

Every wait on the database is bounded by DATABASE_TIMEOUT_SECONDS (bot.db.engine).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import discord

from bot.store.receipts import AlreadySaved, Request, for_request

WRITING = "writing"  # interaction.extras key: this interaction writes


async def begin_write(interaction: discord.Interaction) -> None:
    """Steps 1 and 3 alone: defer (ephemeral) and mark the interaction as a write."""
    interaction.extras[WRITING] = True
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)


@contextlib.asynccontextmanager
async def writing(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Defer, then run the enclosed write for this interaction (see the module docstring)."""
    await begin_write(interaction)
    command = interaction.command.qualified_name if interaction.command else interaction.type.name
    request = Request(interaction.id, interaction.guild_id or 0, interaction.user.id, command)
    with for_request(request):
        try:
            yield
        except AlreadySaved as done:
            await interaction.followup.send(
                str(done), ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
