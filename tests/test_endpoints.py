"""The REST/gateway override that production proxies and our simulator rely on (pinned discord.py)."""

from __future__ import annotations

import discord
import yarl

from bot.config import load_settings
from bot.discord_app.client import apply_endpoint_overrides, create_bot, intents


def test_overrides_set_rest_base_and_gateway() -> None:
    """DISCORD_API_BASE_URL and DISCORD_GATEWAY_URL replace discord.py's REST base and gateway URL."""
    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    try:
        settings = load_settings(
            {
                "DISCORD_TOKEN": "x" * 20,
                "DISCORD_API_BASE_URL": "http://127.0.0.1:1/api/v10",
                "DISCORD_GATEWAY_URL": "ws://127.0.0.1:1/gateway",
            }
        )
        apply_endpoint_overrides(settings)
        assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
        assert yarl.URL("ws://127.0.0.1:1/gateway") == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = before


def test_discord_py_minor_version_is_the_pinned_one() -> None:
    """The overrides and the stale-component hook rely on discord.py 2.7 internals: the pin must hold."""
    assert discord.version_info[:2] == (2, 7)


def test_no_privileged_intents_and_no_pings() -> None:
    """Only the guilds intent; mentions disabled client-wide; no message cache."""
    wanted = intents()
    assert wanted.value == discord.Intents(guilds=True).value
    assert not (wanted.members or wanted.presences or wanted.message_content)
    bot = create_bot(load_settings({"DISCORD_TOKEN": "x" * 20}), store=None)  # type: ignore[arg-type]
    assert bot.allowed_mentions is not None
    assert bot.allowed_mentions.to_dict() == {"parse": []}
    assert bot._connection.max_messages is None
