"""REST routes: channels, channel messages (with nonce dedupe), guilds, DMs."""

from __future__ import annotations

from typing import Any

from . import api_errors as err
from . import permissions as perms
from .api_errors import FormErrors
from .http_context import Reply, RequestContext, RouteSpec
from .interactions import GUILD_MESSAGES_INTENT, apply_edit, dispatch_message_event
from .mentions import CHANNEL_DEFAULT_PARSE
from .messages import DEFAULT, REPLY, StoredMessage
from .validate_messages import IS_COMPONENTS_V2, SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, validate_message
from .world import SimChannel, SimGuild

CHANNEL_MESSAGE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2


def _channel(ctx: RequestContext, *, need: int = perms.VIEW_CHANNEL) -> tuple[SimGuild | None, SimChannel]:
    found = ctx.state.world.find_channel(ctx.snowflake("channel_id", err.unknown_channel))
    if found is None:
        raise err.unknown_channel()
    guild, channel = found
    if guild is not None:
        granted = guild.permissions_in(guild.bot_member, channel)
        if not granted & perms.VIEW_CHANNEL:
            raise err.missing_access()
        if granted & need != need:
            raise err.missing_permissions()
    return guild, channel


def _message(ctx: RequestContext, channel: SimChannel) -> StoredMessage:
    message = ctx.state.store.get(ctx.snowflake("message_id", err.unknown_message))
    if message is None or message.channel_id != channel.id:
        raise err.unknown_message()
    return message


async def get_channel(ctx: RequestContext) -> Reply:
    """GET /channels/{id}."""
    _, channel = _channel(ctx)
    return Reply(body=channel.payload())


async def create_message(ctx: RequestContext) -> Reply:
    """POST /channels/{id}/messages — limits, permissions, nonce + enforce_nonce dedupe."""
    state = ctx.state
    body = ctx.body_dict()
    need = perms.VIEW_CHANNEL | perms.SEND_MESSAGES | (perms.ATTACH_FILES if ctx.files else 0)
    guild, channel = _channel(ctx, need=need)
    form = FormErrors()
    validate_message(form, "", body)
    reference = body.get("message_reference")
    referenced: StoredMessage | None = None
    if isinstance(reference, dict) and reference.get("message_id") is not None:
        referenced = state.store.get(int(reference["message_id"]))
        if referenced is None and reference.get("fail_if_not_exists", True):
            form.add("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
    form.raise_if_any()
    if not (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or ctx.files
        or body.get("sticker_ids")
        or body.get("poll")
    ):
        raise err.empty_message()
    nonce = body.get("nonce")
    key = None
    if nonce is not None and body.get("enforce_nonce"):
        key = (channel.id, state.world.bot.id, str(nonce))
        previous = state.store.nonces.get(key)
        if previous is not None and state.now() - previous[1] <= state.config.nonce_window:
            existing = state.store.messages[previous[0]]
            state.deduplicated_nonces.append((channel.id, str(nonce)))
            state.bump()
            return Reply(body=existing.payload())
    message = StoredMessage(
        id=state.ids.next(),
        channel_id=channel.id,
        guild_id=None if guild is None else guild.id,
        author=state.world.bot,
        type=REPLY if referenced is not None else DEFAULT,
        created_at=state.now(),
        default_parse=CHANNEL_DEFAULT_PARSE,
        nonce=nonce,
    )
    if referenced is not None:
        message.message_reference = {
            "type": 0,
            "message_id": str(referenced.id),
            "channel_id": str(referenced.channel_id),
            **({"guild_id": str(referenced.guild_id)} if referenced.guild_id else {}),
        }
        message.replied_user_id = referenced.author.id
    attachments = state.store.attachments_from_upload(channel.id, body, ctx.files, state.ids.next)
    message.apply(
        {**body, "flags": (body.get("flags") or 0) & CHANNEL_MESSAGE_FLAGS}, attachments, edit=False
    )
    state.store.add(message)
    channel.last_message_id = message.id
    if key is not None:
        state.store.nonces[key] = (message.id, state.now())
    dispatch_message_event(state, message, "MESSAGE_CREATE")
    state.bump()
    return Reply(body=message.payload())


async def list_messages(ctx: RequestContext) -> Reply:
    """GET /channels/{id}/messages (newest first, ``limit`` 1–100)."""
    _, channel = _channel(ctx, need=perms.VIEW_CHANNEL | perms.READ_MESSAGE_HISTORY)
    limit = int(ctx.query.get("limit", "50") or 50)
    if not 1 <= limit <= 100:
        form = FormErrors()
        form.add("limit", "NUMBER_TYPE_MAX", "Must be between 1 and 100.")
        form.raise_if_any()
    ids = ctx.state.store.by_channel.get(channel.id, [])
    out: list[dict[str, Any]] = []
    for message_id in reversed(ids):
        message = ctx.state.store.get(message_id)
        if message is not None and not message.flags & (1 << 6):
            out.append(message.payload())
        if len(out) >= limit:
            break
    return Reply(body=out)


async def get_message(ctx: RequestContext) -> Reply:
    """GET /channels/{id}/messages/{message_id}."""
    _, channel = _channel(ctx, need=perms.VIEW_CHANNEL | perms.READ_MESSAGE_HISTORY)
    return Reply(body=_message(ctx, channel).payload())


async def edit_message(ctx: RequestContext) -> Reply:
    """PATCH /channels/{id}/messages/{message_id} (own messages only)."""
    _, channel = _channel(ctx)
    message = _message(ctx, channel)
    if message.author.id != ctx.state.world.bot.id:
        raise err.cannot_edit_other_author()
    form = FormErrors()
    validate_message(form, "", ctx.body_dict())
    form.raise_if_any()
    attachments = ctx.state.store.attachments_from_upload(
        channel.id, ctx.body_dict(), ctx.files, ctx.state.ids.next
    )
    apply_edit(ctx.state, message, ctx.body_dict(), attachments)
    dispatch_message_event(ctx.state, message, "MESSAGE_UPDATE")
    ctx.state.bump()
    return Reply(body=message.payload())


async def delete_message(ctx: RequestContext) -> Reply:
    """DELETE /channels/{id}/messages/{message_id}."""
    guild, channel = _channel(ctx)
    message = _message(ctx, channel)
    own = message.author.id == ctx.state.world.bot.id
    if (
        not own
        and guild is not None
        and not guild.permissions_in(guild.bot_member, channel) & perms.MANAGE_MESSAGES
    ):
        raise err.missing_permissions()
    message.deleted = True
    if ctx.state.gateway is not None and guild is not None:
        ctx.state.gateway.dispatch_to_guild(
            guild.id,
            "MESSAGE_DELETE",
            {"id": str(message.id), "channel_id": str(channel.id), "guild_id": str(guild.id)},
            intent=GUILD_MESSAGES_INTENT,
        )
    ctx.state.bump()
    return Reply(status=204)


async def typing(ctx: RequestContext) -> Reply:
    """POST /channels/{id}/typing."""
    _channel(ctx, need=perms.VIEW_CHANNEL | perms.SEND_MESSAGES)
    return Reply(status=204)


def _guild(ctx: RequestContext) -> SimGuild:
    try:
        return ctx.state.world.guild(ctx.snowflake("guild_id", err.unknown_guild))
    except KeyError:
        raise err.unknown_guild() from None


async def get_guild(ctx: RequestContext) -> Reply:
    """GET /guilds/{id}."""
    guild = _guild(ctx)
    data = guild.guild_create_payload(
        joined_at=0, include_all_members=False, bot_user_id=ctx.state.world.bot.id
    )
    for key in (
        "joined_at",
        "large",
        "unavailable",
        "member_count",
        "voice_states",
        "members",
        "channels",
        "threads",
        "presences",
        "stage_instances",
        "guild_scheduled_events",
        "soundboard_sounds",
    ):
        data.pop(key, None)
    return Reply(body=data)


async def get_guild_channels(ctx: RequestContext) -> Reply:
    """GET /guilds/{id}/channels."""
    return Reply(body=[c.payload() for c in _guild(ctx).channels.values()])


async def get_guild_roles(ctx: RequestContext) -> Reply:
    """GET /guilds/{id}/roles."""
    return Reply(body=[r.payload() for r in _guild(ctx).roles.values()])


async def get_guild_member(ctx: RequestContext) -> Reply:
    """GET /guilds/{id}/members/{user_id}."""
    guild = _guild(ctx)
    member = guild.members.get(ctx.snowflake("user_id", err.unknown_member))
    if member is None:
        raise err.unknown_member()
    return Reply(body=member.payload())


async def create_dm(ctx: RequestContext) -> Reply:
    """POST /users/@me/channels {recipient_id}."""
    body = ctx.body_dict()
    user = ctx.state.world.users.get(int(body.get("recipient_id") or 0))
    if user is None:
        raise err.unknown_user()
    return Reply(body=ctx.state.world.dm_channel_for(user).payload())


def routes() -> list[RouteSpec]:
    """The routes of this module."""
    return [
        RouteSpec("GET", "/channels/{channel_id}", get_channel),
        RouteSpec("POST", "/channels/{channel_id}/messages", create_message),
        RouteSpec("GET", "/channels/{channel_id}/messages", list_messages),
        RouteSpec("GET", "/channels/{channel_id}/messages/{message_id}", get_message),
        RouteSpec("PATCH", "/channels/{channel_id}/messages/{message_id}", edit_message),
        RouteSpec("DELETE", "/channels/{channel_id}/messages/{message_id}", delete_message),
        RouteSpec("POST", "/channels/{channel_id}/typing", typing),
        RouteSpec("GET", "/guilds/{guild_id}", get_guild),
        RouteSpec("GET", "/guilds/{guild_id}/channels", get_guild_channels),
        RouteSpec("GET", "/guilds/{guild_id}/roles", get_guild_roles),
        RouteSpec("GET", "/guilds/{guild_id}/members/{user_id}", get_guild_member),
        RouteSpec("POST", "/users/@me/channels", create_dm),
    ]
