"""Buttons and forms nothing handles any more, and crafted custom_ids: always a clear private answer."""

from __future__ import annotations

import asyncio

import pytest
import yaml

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.e2e.helpers import button, buttons, embed_text

NO_LONGER_ACTIVE = "This is no longer active — run the command again."
DOC = {
    "actors": [{"slug": "lithuania", "name": "Lithuania", "kind": "state"}],
    "positions": [
        {
            "id": "pos-lithuania-peacekeepers-2025-04",
            "actor": "lithuania",
            "topic": "peacekeepers",
            "stance": "supports",
            "summary": "Ready to send a contingent.",
            "date": "2025-04",
            "status": "reported",
            "sources": [{"url": "https://example.org/lt", "publisher": "Example"}],
        }
    ],
}


async def private_text(sim: DiscordSimulator, message: object, custom_id: str, member: str) -> str:
    """Click (possibly a forged custom_id) and return the private answer's text."""
    click = await sim.click(message, custom_id, member, forged=True)  # type: ignore[arg-type]
    response = await click.response()
    assert response.message is not None, response.type_name
    assert response.message.ephemeral
    return embed_text(response.message)


@pytest.mark.parametrize(
    "custom_id", ["pg:en:0:", "pg:po:0:", "pg:tl:3:", "pg:tl:0:|||", "pg:zz:0:abc", "pg:en:0:|x"]
)
async def test_malformed_page_ids_get_no_such_page(
    sim: DiscordSimulator, bot: BotProcess, custom_id: str
) -> None:
    """A crafted page custom_id with its required parts missing or an unknown view says 'No such page.'"""
    handle = await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine"})
    first = (await handle.response()).message
    assert first is not None and buttons(first)
    text = await private_text(sim, first, custom_id, "member")
    assert text == "No such page."


async def test_unknown_button_says_it_is_no_longer_active(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A click on a custom_id no view knows gets a private 'no longer active', not silence."""
    handle = await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine"})
    first = (await handle.response()).message
    assert first is not None
    assert await private_text(sim, first, "gone-button-123", "member") == NO_LONGER_ACTIVE


async def test_apply_after_restart_says_no_longer_active(
    sim: DiscordSimulator, bot_factory: BotLauncher
) -> None:
    """An import dry run's Apply pressed after a restart answers 'no longer active' and writes nothing."""
    first_bot = await bot_factory.astart()
    attachment = await sim.register_attachment("lt.yaml", yaml.safe_dump(DOC).encode())
    handle = await sim.invoke_command(
        "alpha", "admin", "admin import", {"file": attachment}, ignore_default_permissions=True
    )
    preview = await handle.original()
    apply_id = button(preview, "Apply")["custom_id"]
    await asyncio.to_thread(bot_factory.restart, first_bot)
    click = await sim.click(preview, apply_id, "admin")
    response = await click.response()
    assert response.message is not None and response.message.ephemeral
    assert embed_text(response.message) == NO_LONGER_ACTIVE
    shown = await (await sim.invoke_command("alpha", "member", "position", {"actor": "lithuania"})).response()
    assert shown.message is not None and "Ready to send" not in embed_text(shown.message)
