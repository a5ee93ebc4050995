"""Every use of discord.py's private or undocumented internals, in one place.

discord.py offers no public API for these; each pins the bot to one discord.py minor version
(pyproject.toml), and tests/discord_app/test_internals.py (test_initial_message.py for the
responses sent without `?with_response`) fails loudly when an upgrade moves one. Nothing outside
this module touches an underscored discord.py attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
import yarl
from discord.webhook.async_ import (
    async_context,
    interaction_message_response_params,
    interaction_response_params,
)


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


# --- responses sent without asking Discord to send the message back --------------------------------

_CALLBACK = "/interactions/{webhook_id}/{webhook_token}/callback"


async def send_initial_message(
    interaction: discord.Interaction[Any],
    *,
    embeds: list[discord.Embed],
    view: discord.ui.View | None = None,
    files: list[discord.File] | None = None,
    ephemeral: bool = False,
    allowed_mentions: discord.AllowedMentions,
) -> None:
    """Answer `interaction` with a message, as `InteractionResponse.send_message` does, but
    without `?with_response`: Discord then answers 204 instead of the whole message, which
    discord.py would parse into a Message nobody reads. `view` must be stopped (stateless: the
    client dispatches its items by custom_id), since no message id comes back to store it under.
    """
    _stopped(view)
    missing: Any = discord.utils.MISSING
    flags = missing
    if ephemeral:
        flags = discord.MessageFlags._from_value(0)
        flags.ephemeral = True
    params = interaction_message_response_params(
        type=discord.InteractionResponseType.channel_message.value,
        embeds=embeds,
        view=view if view is not None else missing,
        files=files or missing,
        flags=flags,
        allowed_mentions=allowed_mentions,
        previous_allowed_mentions=interaction._state.allowed_mentions,
    )
    await _respond(interaction, discord.InteractionResponseType.channel_message, params)


async def update_message(
    interaction: discord.Interaction[Any],
    *,
    embeds: list[discord.Embed],
    view: discord.ui.View | None,
    attachments: list[discord.File],
) -> None:
    """Replace the clicked message's embeds, components (none when `view` is None) and
    attachments, as `InteractionResponse.edit_message` does but without `?with_response`.
    `view` must be stopped (see send_initial_message)."""
    _stopped(view)
    if interaction.type is not discord.InteractionType.component:
        raise ValueError("update_message answers component clicks only")
    if interaction.message is not None:  # as edit_message: the message's stored view, if any, goes
        interaction._state.prevent_view_updates_for(interaction.message.id)
    params = interaction_message_response_params(
        type=discord.InteractionResponseType.message_update.value,
        embeds=embeds,
        view=view,
        attachments=attachments,
        previous_allowed_mentions=interaction._state.allowed_mentions,
    )
    await _respond(interaction, discord.InteractionResponseType.message_update, params)


async def send_choices(
    interaction: discord.Interaction[Any], choices: list[discord.app_commands.Choice[Any]]
) -> None:
    """Answer an autocomplete with `choices`, as `InteractionResponse.autocomplete` does (the bot
    sets no translator) but without `?with_response`."""
    if interaction.type is not discord.InteractionType.autocomplete:
        raise ValueError("send_choices answers autocompletes only")
    params = interaction_response_params(
        discord.InteractionResponseType.autocomplete_result.value,
        {"choices": [choice.to_dict() for choice in choices]},
    )
    await _respond(interaction, discord.InteractionResponseType.autocomplete_result, params)


def _stopped(view: discord.ui.View | None) -> None:
    if view is not None and not view.is_finished():
        raise ValueError("responses without the message sent back carry stopped views only")


async def _respond(
    interaction: discord.Interaction[Any],
    kind: discord.InteractionResponseType,
    params: discord.http.MultipartParameters,
) -> None:
    """POST the interaction callback `params` through discord.py's webhook adapter (its rate-limit
    handling and retries), without `?with_response`, and mark the interaction answered."""
    response = interaction.response
    if response.is_done():
        raise discord.InteractionResponded(interaction)
    http = interaction._state.http
    route = discord.http.Route("POST", _CALLBACK, webhook_id=interaction.id, webhook_token=interaction.token)
    with params:  # closes the files once sent
        await async_context.get().request(
            route,
            interaction._session,
            payload=params.payload,
            multipart=params.multipart,
            files=params.files,
            proxy=http.proxy,
            proxy_auth=http.proxy_auth,
        )
    response._response_type = kind
