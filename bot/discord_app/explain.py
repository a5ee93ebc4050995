"""Discord failures an operator can fix (a rejected token or intents, Discord unreachable), as one line."""

from __future__ import annotations

import aiohttp
import discord

from bot.causes import exception_chain, reason


def discord_line(exc: BaseException) -> str | None:
    """The line for a Discord login or connection failure, or None if `exc` is not one."""
    for e in exception_chain(exc):
        if isinstance(e, discord.LoginFailure):
            return "Discord rejected the token: check DISCORD_TOKEN (Developer Portal → Bot → Reset Token)"
        if isinstance(e, discord.PrivilegedIntentsRequired):
            return "Discord refused the intents: this bot needs no privileged intents"
        if isinstance(e, aiohttp.ClientConnectorError):
            return (
                f"Discord unreachable ({e.host}:{e.port}): {reason(e.os_error)}; "
                "check the network (or DISCORD_API_BASE_URL)"
            )
        if isinstance(e, aiohttp.ClientError):
            return f"Discord unreachable: {reason(e)}"
    return None
