"""The bot logs its invite link once when it connects."""

from __future__ import annotations

import asyncio

from bot.discord_app.permissions import invite_url
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher


async def test_invite_link_logged_once_at_ready(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """At READY the log holds the same URL as `python -m bot invite`; a second READY does not repeat it."""
    proc = await bot_factory.astart()
    expected = f"invite link: {invite_url(sim.application_id)}"
    for _ in range(100):  # the line follows the READY line the start waited for
        if expected in proc.log_path.read_text():
            break
        await asyncio.sleep(0.05)
    assert expected in proc.log_path.read_text(), proc.log_tail()
    mark = sim.gateway_mark()
    await sim.send_invalid_session(False)
    await sim.wait_for_dispatch("READY", since=mark, timeout=20)
    await (await sim.invoke_command("alpha", "member", "actors", {})).response()
    assert proc.log_path.read_text().count("invite link:") == 1
