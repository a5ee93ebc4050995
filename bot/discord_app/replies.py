"""Sending an answer: in time, within limits, never pinging anyone.

`say` is the one way to reply privately, whether or not the interaction was answered (deferred)
already; `send_answer` sends a command's rendered answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import discord

from bot.discord_app import internals
from bot.discord_app.answers import Answer
from bot.domain import Query

NO_PINGS = discord.AllowedMentions.none()

ASKED = "asked"
"""interaction.extras key: the read query being answered, so an error reply can offer a way on
(bot.discord_app.tree: a name that is a word of several names gets a menu of them)."""


async def say(interaction: discord.Interaction[Any], text: str, **kwargs: Any) -> None:
    """Reply to `interaction` privately with `text` (and any other message fields), answered or not."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS, **kwargs)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS, **kwargs)


DEFER_AFTER_SECONDS = 2.0
"""Discord wants the first response within 3 s; past this much work we defer and edit later."""


async def send_answer(
    interaction: discord.Interaction,
    pending: Awaitable[Answer],
    *,
    ephemeral: bool = False,
    query: Query | None = None,
) -> None:
    """Await `pending` (the answer to `query`, if given) and send it; defer first if it takes
    longer than DEFER_AFTER_SECONDS.

    A timer (not a task around `pending`) starts the deferral: an answer in time costs one
    timer set and cancelled. The deferral is awaited before replying, and before an error of
    `pending` reaches the tree's handler, so both see the interaction as answered. An answer in
    time goes out without asking Discord for the message back (internals.send_initial_message).
    """
    if query is not None:
        interaction.extras[ASKED] = query
    deferring: list[asyncio.Future[Any]] = []

    def defer() -> None:
        deferring.append(
            asyncio.ensure_future(interaction.response.defer(thinking=True, ephemeral=ephemeral))
        )

    timer = asyncio.get_running_loop().call_later(DEFER_AFTER_SECONDS, defer)
    try:
        answer = await pending
    finally:
        timer.cancel()
        if deferring:
            await deferring[0]
    from bot.discord_app.paging import pager  # local: paging -> tree -> this module

    view = pager(answer)
    if interaction.response.is_done():
        await interaction.edit_original_response(
            embeds=answer.embeds(),
            view=view,
            attachments=answer.discord_files(),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        return
    await internals.send_initial_message(
        interaction,
        embeds=answer.embeds(),
        view=view,
        files=answer.discord_files(),
        ephemeral=ephemeral,
        allowed_mentions=NO_PINGS,
    )
