"""The discord.py internals the bot relies on (bot/discord_app/internals.py) are still there and still work.

Each test fails loudly when a discord.py upgrade renames or reroutes one, instead of the bot silently
talking to discord.com, treating curators as members, or staying silent on a stale button.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from typing import Any

import discord
import pytest
import yarl

from bot.discord_app import internals


@pytest.fixture
def restore_endpoints() -> Iterator[None]:
    """Put discord.py's REST base and gateway back after the test."""
    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = before


def test_rest_base_override_reaches_every_route(restore_endpoints: None) -> None:
    """After set_rest_base, a route's URL is built on the new base (Route.BASE is read per request)."""
    assert discord.http.Route("GET", "/users/@me").url.startswith("https://discord.com/api/v")
    internals.set_rest_base("http://127.0.0.1:9/api/v10")
    assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"


def test_gateway_override_is_what_the_websocket_connects_to(restore_endpoints: None) -> None:
    """set_gateway replaces the class attribute DiscordWebSocket reads when it connects."""
    assert isinstance(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY, yarl.URL)
    internals.set_gateway("ws://127.0.0.1:9/gateway")
    assert yarl.URL("ws://127.0.0.1:9/gateway") == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    assert "DEFAULT_GATEWAY" in inspect.getsource(discord.gateway.DiscordWebSocket.from_client)


def _interaction(client: discord.Client) -> discord.Interaction[Any]:
    payload: Any = {
        "id": "1",
        "application_id": "2",
        "type": 3,
        "token": "t",
        "version": 1,
        "attachment_size_limit": 8 * 1024 * 1024,
        "user": {"id": "3", "username": "u", "discriminator": "0", "avatar": None},
    }
    return discord.Interaction(data=payload, state=client._connection)


def test_member_role_ids_come_from_the_payload_without_a_role_cache() -> None:
    """The curator role is found on a member whose guild has none of its roles cached."""
    client = discord.Client(intents=discord.Intents.none())
    guild = discord.Guild(data={"id": "10", "name": "g"}, state=client._connection)  # type: ignore[typeddict-item]
    member = discord.Member(
        data={  # type: ignore[typeddict-item]
            "user": {"id": "3", "username": "u", "discriminator": "0", "avatar": None},
            "roles": ["55", "66"],
            "joined_at": "2025-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
        },
        guild=guild,
        state=client._connection,
    )
    assert member.roles == []  # the public list drops roles the cache does not know
    assert internals.member_role_ids(member) == {55, 66}


class _Dyn(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"dyn:(?P<n>\d+)"):
    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label="x", custom_id=f"dyn:{n}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> _Dyn:
        return cls(int(match["n"]))


async def test_view_store_lookups_see_views_dynamic_items_and_modals() -> None:
    """What a live view, a dynamic item or an open modal registers is what the lookups find."""
    client = discord.Client(intents=discord.Intents.none())
    assert not internals.view_handles(client, 2, "persist", None)
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="p", custom_id="persist"))
    client.add_view(view)
    assert internals.view_handles(client, 2, "persist", None)
    assert not internals.view_handles(client, 2, "other", None)

    assert not internals.dynamic_item_matches(client, "dyn:7")
    client.add_dynamic_items(_Dyn)
    assert internals.dynamic_item_matches(client, "dyn:7")
    assert not internals.dynamic_item_matches(client, "dyn:x")

    modal = discord.ui.Modal(title="t", custom_id="form-1")
    assert not internals.modal_waiting(client, "form-1")
    client._connection.store_view(modal)
    assert internals.modal_waiting(client, "form-1")


def test_before_dispatch_runs_first_on_the_path_discord_py_dispatches_through() -> None:
    """Component clicks and modal submits reach the view store's dispatch methods, which the hook wraps."""
    source = inspect.getsource(discord.state.ConnectionState.parse_interaction_create)
    assert "self._view_store.dispatch_view(" in source
    assert "self._view_store.dispatch_modal(" in source
    client = discord.Client(intents=discord.Intents.none())
    seen: list[str] = []
    internals.before_dispatch(
        client,
        lambda _t, custom_id, _i: seen.append(f"view {custom_id}"),
        lambda c, _i, *_: seen.append(f"modal {c}"),
    )
    store: Any = client._connection._view_store
    interaction = _interaction(client)
    store.dispatch_view(2, "nobody-listens", interaction)  # discord.py itself then finds no view
    store.dispatch_modal("no-form", interaction, [], {})
    assert seen == ["view nobody-listens", "modal no-form"]
