"""The project's bot starts against the simulator through the endpoint overrides and answers a command."""

from __future__ import annotations

import pytest

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess

pytestmark = pytest.mark.e2e


async def test_bot_logs_in_syncs_and_answers_position(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/position actor:russia gets a non-pinging answer within 3 s, with commands synced to every guild."""
    for guild in sim.guilds:
        assert "position" in [c["name"] for c in await sim.commands(guild)]
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    response = await handle.response()
    assert response.elapsed < 3
    message = await handle.original()
    assert "russia" in message.text().lower()
    assert not message.would_ping
