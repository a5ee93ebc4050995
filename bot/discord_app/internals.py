"""Every use of discord.py's private or undocumented internals, in one place.

discord.py offers no public API for these; each pins the bot to one discord.py minor version
(pyproject.toml), and tests/discord_app/test_internals.py fails loudly when an upgrade moves one.
Nothing outside this module touches an underscored discord.py attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
import yarl


def set_rest_base(url: str) -> None:
    """Send every REST call to `url` (a proxy, or the test simulator) instead of discord.com."""
    discord.http.Route.BASE = url


def set_gateway(url: str) -> None:
    """Connect the gateway to `url` instead of asking Discord for it."""
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


def member_role_ids(user: discord.abc.User) -> set[int]:
    """The role ids Discord sent with the member (no member or role cache needed).

    `Member.roles` drops roles the guild cache does not hold; the raw ids from the interaction
    payload are only kept in `Member._roles`.
    """
    roles = getattr(user, "roles", None) or []
    ids = {r.id for r in roles}
    raw = getattr(user, "_roles", None)
    if raw is not None:
        ids.update(int(r) for r in raw)
    return ids


# --- the view store: which component clicks and form submits a handler is waiting for ----------

ViewHook = Callable[[int, str, discord.Interaction[Any]], None]
ModalHook = Callable[..., None]


def _view_store(client: discord.Client) -> Any:
    return client._connection._view_store


def view_handles(client: discord.Client, component_type: int, custom_id: str, message_id: int | None) -> bool:
    """Whether a live view of `client` (for that message, or message-less) handles this component."""
    views = _view_store(client)._views
    key = (component_type, custom_id)
    return key in views.get(message_id, {}) or key in views.get(None, {})


def dynamic_item_matches(client: discord.Client, custom_id: str) -> bool:
    """Whether a dynamic item registered on `client` claims this custom_id."""
    return any(pattern.fullmatch(custom_id) for pattern in _view_store(client)._dynamic_items)


def modal_waiting(client: discord.Client, custom_id: str) -> bool:
    """Whether an open modal of `client` waits for a submit with this custom_id."""
    return custom_id in _view_store(client)._modals


def before_dispatch(client: discord.Client, on_view: ViewHook, on_modal: ModalHook) -> None:
    """Call `on_view`/`on_modal` with each component click/modal submit just before discord.py
    dispatches it (when the views that will handle it are still registered)."""
    store = _view_store(client)
    dispatch_view, dispatch_modal = store.dispatch_view, store.dispatch_modal

    def view(component_type: int, custom_id: str, interaction: discord.Interaction[Any]) -> None:
        on_view(component_type, custom_id, interaction)
        dispatch_view(component_type, custom_id, interaction)

    def modal(custom_id: str, interaction: discord.Interaction[Any], *args: Any) -> None:
        on_modal(custom_id, interaction, *args)
        dispatch_modal(custom_id, interaction, *args)

    store.dispatch_view, store.dispatch_modal = view, modal
