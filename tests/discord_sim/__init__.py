"""A local Discord simulator (REST API v10 + gateway) and a driver for end-to-end tests.

Quick start (fixtures from tests/conftest.py)::

    async def test_position(sim: DiscordSimulator, bot: BotProcess) -> None:
        handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
        response = await handle.response()          # initial callback, within Discord's 3 s
        message = await handle.original()           # final @original after defer/edits
        assert "Russia" in message.text() and not message.would_ping

World: ``sim.guild("alpha")`` / ``sim.guild("beta")`` with ``.owner .admin .curator .member .bot_member``,
``.general .briefings .staff_only`` and ``.admin_role .curator_role .plain_role .everyone_role``;
``sim.bot_owner`` is the OWNER_IDS user. Strict mode: any rejection not declared with
``sim.expect_violation(code, field=...)`` fails the test at teardown.
"""

from .api_errors import flatten_errors
from .driver import DriverError, Forged
from .handles import InitialResponse, InteractionHandle, InteractionOutcome
from .mentions import would_ping
from .messages import SimAttachment, SimMessage
from .records import GatewayEvent, RequestRecord, Violation
from .simulator import DiscordSimulator, SessionInfo
from .state import SimConfig, SimTimeout
from .world import SimChannel, SimGuild, SimMember, SimRole, SimUser

__all__ = [
    "DiscordSimulator",
    "DriverError",
    "Forged",
    "GatewayEvent",
    "InitialResponse",
    "InteractionHandle",
    "InteractionOutcome",
    "RequestRecord",
    "SessionInfo",
    "SimAttachment",
    "SimChannel",
    "SimConfig",
    "SimGuild",
    "SimMember",
    "SimMessage",
    "SimRole",
    "SimTimeout",
    "SimUser",
    "Violation",
    "flatten_errors",
    "would_ping",
]
