"""Buttons and forms nothing handles any more (a restart, an expired dry run): say so, never stay silent.

discord.py drops a component click or modal submit that matches no live view, modal or dynamic
item; Discord then shows "This interaction failed" with no reason. We look the interaction up
the way discord.py does, at the moment it is dispatched (before a handler can stop its view),
and answer the unmatched ones.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import discord

from bot.discord_app import internals
from bot.discord_app.page_ids import PAGE_PREFIX
from bot.discord_app.paging import NO_SUCH_PAGE
from bot.discord_app.tree import observe, reply_ephemeral

log = logging.getLogger(__name__)

NO_LONGER_ACTIVE = "This is no longer active — run the command again."


def _carries(message: discord.Message | None, custom_id: str) -> bool:
    """Whether the message has a component with this custom_id (discord.py's dynamic items need it)."""
    if message is None:
        return False
    stack: list[Any] = list(message.components)
    while stack:
        component = stack.pop()
        if getattr(component, "custom_id", None) == custom_id:
            return True
        stack.extend(getattr(component, "children", None) or ())
    return False


def _view_handles(
    client: discord.Client, component_type: int, custom_id: str, interaction: discord.Interaction
) -> bool:
    if internals.dynamic_item_matches(client, custom_id) and _carries(interaction.message, custom_id):
        return True
    message_id = interaction.message.id if interaction.message is not None else None
    return internals.view_handles(client, component_type, custom_id, message_id)


async def _answer(interaction: discord.Interaction) -> None:
    started = time.perf_counter()
    custom_id = _custom_id(interaction)
    log.info("stale component or form guild=%s custom_id=%.100s", interaction.guild_id, custom_id)
    # A page button's id names the page itself: one that is not on the message is no page of it.
    text = NO_SUCH_PAGE if custom_id.startswith(PAGE_PREFIX) else NO_LONGER_ACTIVE
    await reply_ephemeral(interaction, text)
    observe(interaction, started, None)


def _custom_id(interaction: discord.Interaction) -> str:
    data: Any = interaction.data or {}
    return str(data.get("custom_id", ""))


def install(client: discord.Client) -> None:
    """Answer clicks and submits that no view, modal or dynamic item of `client` handles."""
    tasks: set[asyncio.Task[None]] = set()

    def answer(interaction: discord.Interaction) -> None:
        task = asyncio.create_task(_answer(interaction))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    def view(component_type: int, custom_id: str, interaction: discord.Interaction) -> None:
        if not _view_handles(client, component_type, custom_id, interaction):
            answer(interaction)

    def modal(custom_id: str, interaction: discord.Interaction, *_args: Any) -> None:
        if not internals.modal_waiting(client, custom_id):
            answer(interaction)

    internals.before_dispatch(client, view, modal)  # discord.py offers no public hook
