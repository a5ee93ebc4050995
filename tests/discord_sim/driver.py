"""Builds the interactions a Discord client would send, checked against the synced command definitions."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import permissions as perms
from .commands import StoredCommand
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT, MODAL_SUBMIT, InteractionState
from .messages import SimAttachment, StoredMessage
from .state import SimState
from .validate_commands import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    USER,
)
from .world import SimChannel, SimGuild, SimMember, SimRole, SimUser

JsonDict = dict[str, Any]

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
OPTION_TYPE_NAMES = {
    STRING: "STRING",
    INTEGER: "INTEGER",
    BOOLEAN: "BOOLEAN",
    USER: "USER",
    CHANNEL: "CHANNEL",
    ROLE: "ROLE",
    MENTIONABLE: "MENTIONABLE",
    NUMBER: "NUMBER",
    ATTACHMENT: "ATTACHMENT",
}


class DriverError(AssertionError):
    """The test asked for something a real Discord client could not do (unknown command, bad option...)."""


def _describe_options(options: list[JsonDict]) -> str:
    return ", ".join(
        f"{o.get('name')}:{OPTION_TYPE_NAMES.get(o.get('type', 0), o.get('type'))}" for o in options
    )


def find_leaf(command: StoredCommand, path: list[str]) -> tuple[list[JsonDict], list[JsonDict]]:
    """Walk "group sub" names; return (the leaf's option definitions, the chain of group/sub definitions)."""
    options = command.options
    chain: list[JsonDict] = []
    for name in path:
        match = next((o for o in options if o.get("name") == name and o.get("type") in (1, 2)), None)
        if match is None:
            subs = [o.get("name") for o in options if o.get("type") in (1, 2)]
            raise DriverError(f"/{command.name} has no subcommand or group {name!r}; available: {subs}")
        chain.append(match)
        options = list(match.get("options") or [])
    if any(o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options):
        subs = [o.get("name") for o in options if o.get("type") in (1, 2)]
        label = " ".join([command.name, *path])
        raise DriverError(f"/{label} cannot be used directly; pick one of its subcommands: {subs}")
    return options, chain


class _Resolved:
    """Accumulates the ``resolved`` map of an interaction."""

    def __init__(self, guild: SimGuild, channel: SimChannel) -> None:
        self.guild = guild
        self.channel = channel
        self.data: JsonDict = {}

    def user(self, user: SimUser) -> None:
        self.data.setdefault("users", {})[str(user.id)] = user.payload()
        member = self.guild.members.get(user.id)
        if member is not None:
            payload = member.payload(
                permissions=self.guild.permissions_in(member, self.channel), with_user=False
            )
            for key in ("deaf", "mute"):
                payload.pop(key, None)
            self.data.setdefault("members", {})[str(user.id)] = payload

    def role(self, role: SimRole) -> None:
        self.data.setdefault("roles", {})[str(role.id)] = role.payload()

    def channel_(self, channel: SimChannel, viewer: SimMember) -> None:
        payload = channel.payload()
        payload["permissions"] = str(self.guild.permissions_in(viewer, channel))
        self.data.setdefault("channels", {})[str(channel.id)] = payload

    def attachment(self, attachment: SimAttachment) -> None:
        self.data.setdefault("attachments", {})[str(attachment.id)] = attachment.payload()


def _as_user(state: SimState, guild: SimGuild, value: Any) -> SimUser | None:
    if isinstance(value, SimMember):
        return value.user
    if isinstance(value, SimUser):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return state.world.users.get(value)
    return None


def _as_role(guild: SimGuild, value: Any) -> SimRole | None:
    if isinstance(value, SimRole):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return guild.roles.get(value)
    if isinstance(value, str):
        try:
            return guild.role(value)
        except KeyError:
            return None
    return None


@dataclass(frozen=True)
class Forged:
    """An option value sent as a modified client would, unchecked: e.g. another server's channel."""

    value: Any


def _as_channel(guild: SimGuild, value: Any) -> SimChannel | None:
    if isinstance(value, Forged) and isinstance(value.value, SimChannel):
        return value.value
    if isinstance(value, SimChannel):
        return value if value.id in guild.channels else None
    if isinstance(value, int) and not isinstance(value, bool):
        return guild.channels.get(value)
    if isinstance(value, str):
        try:
            return guild.channel(value)
        except KeyError:
            return None
    return None


def _check_range(label: str, definition: JsonDict, value: float) -> None:
    lo, hi = definition.get("min_value"), definition.get("max_value")
    if lo is not None and value < lo:
        raise DriverError(f"{label}={value!r} is below min_value {lo}; the Discord client would refuse it")
    if hi is not None and value > hi:
        raise DriverError(f"{label}={value!r} is above max_value {hi}; the Discord client would refuse it")


def _check_choices(label: str, definition: JsonDict, value: Any) -> None:
    choices = definition.get("choices")
    if choices and value not in [c.get("value") for c in choices]:
        allowed = [c.get("value") for c in choices]
        raise DriverError(f"{label}={value!r} is not one of the declared choices {allowed}")


def convert_option(
    state: SimState, guild: SimGuild, member: SimMember, resolved: _Resolved, definition: JsonDict, value: Any
) -> Any:
    """Type-check one option value against its synced definition and return the wire value."""
    otype = definition.get("type")
    label = f"option {definition.get('name')!r} ({OPTION_TYPE_NAMES.get(otype or 0, otype)})"
    if otype == STRING:
        if not isinstance(value, str):
            raise DriverError(f"{label} needs a str, got {value!r}")
        lo, hi = definition.get("min_length"), definition.get("max_length")
        if (lo is not None and len(value) < lo) or (hi is not None and len(value) > hi):
            raise DriverError(f"{label} length {len(value)} is outside [{lo}, {hi}]")
        _check_choices(label, definition, value)
        return value
    if otype == INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DriverError(f"{label} needs an int, got {value!r}")
        _check_range(label, definition, value)
        _check_choices(label, definition, value)
        return value
    if otype == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DriverError(f"{label} needs a number, got {value!r}")
        _check_range(label, definition, value)
        _check_choices(label, definition, value)
        return value
    if otype == BOOLEAN:
        if not isinstance(value, bool):
            raise DriverError(f"{label} needs a bool, got {value!r}")
        return value
    if otype in (USER, MENTIONABLE):
        user = _as_user(state, guild, value)
        if user is not None:
            resolved.user(user)
            return str(user.id)
        role = _as_role(guild, value) if otype == MENTIONABLE else None
        if role is not None:
            resolved.role(role)
            return str(role.id)
        raise DriverError(
            f"{label} needs a SimMember/SimUser{'/SimRole' if otype == MENTIONABLE else ''}, got {value!r}"
        )
    if otype == ROLE:
        role = _as_role(guild, value)
        if role is None:
            raise DriverError(f"{label} needs a SimRole of guild {guild.key}, got {value!r}")
        resolved.role(role)
        return str(role.id)
    if otype == CHANNEL:
        channel = _as_channel(guild, value)
        if channel is None:
            raise DriverError(f"{label} needs a SimChannel of guild {guild.key}, got {value!r}")
        allowed_types = definition.get("channel_types")
        if allowed_types and channel.type not in allowed_types:
            raise DriverError(f"{label}: channel type {channel.type} not in channel_types {allowed_types}")
        resolved.channel_(channel, member)
        return str(channel.id)
    if otype == ATTACHMENT:
        if not isinstance(value, SimAttachment):
            raise DriverError(f"{label} needs a SimAttachment (see sim.register_attachment), got {value!r}")
        resolved.attachment(value)
        return str(value.id)
    raise DriverError(f"{label} has an unsupported type")


def _base_payload(
    state: SimState,
    *,
    itype: int,
    guild: SimGuild,
    member: SimMember,
    channel: SimChannel,
    data: JsonDict,
    locale: str,
) -> tuple[int, str, JsonDict]:
    interaction_id = state.ids.next()
    token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(96)
    member_perms = guild.permissions_in(member, channel)
    channel_payload = channel.payload()
    channel_payload["permissions"] = str(member_perms)
    payload: JsonDict = {
        "id": str(interaction_id),
        "application_id": str(state.world.application_id),
        "type": itype,
        "data": data,
        "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
        "guild_id": str(guild.id),
        "channel": channel_payload,
        "channel_id": str(channel.id),
        "member": member.payload(permissions=member_perms),
        "token": token,
        "version": 1,
        "app_permissions": str(guild.permissions_in(guild.bot_member, channel)),
        "locale": locale,
        "guild_locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    return interaction_id, token, payload


def _check_can_use(guild: SimGuild, member: SimMember, channel: SimChannel) -> None:
    if member.id not in guild.members:
        raise DriverError(f"{member.user.username} is not a member of guild {guild.key}")
    if channel.id not in guild.channels:
        raise DriverError(f"channel {channel.name} is not in guild {guild.key}")
    granted = guild.permissions_in(member, channel)
    if not granted & perms.VIEW_CHANNEL:
        raise DriverError(f"{member.user.username} cannot see #{channel.name}")
    if not granted & perms.USE_APPLICATION_COMMANDS:
        raise DriverError(f"{member.user.username} cannot use application commands in #{channel.name}")


def build_command_interaction(
    state: SimState,
    guild: SimGuild,
    member: SimMember,
    channel: SimChannel,
    name: str,
    options: Mapping[str, Any] | None,
    *,
    focused: str | None = None,
    locale: str = "en-US",
    ignore_default_permissions: bool = False,
) -> InteractionState:
    """An APPLICATION_COMMAND (or AUTOCOMPLETE, when ``focused`` is set) interaction for "/name [group] [sub]"."""
    _check_can_use(guild, member, channel)
    parts = name.strip().lstrip("/").split()
    if not parts:
        raise DriverError("empty command name")
    command = state.commands.resolve(guild.id, parts[0])
    if command is None:
        synced = sorted(
            {c.name for c in state.commands.in_scope(guild.id) + state.commands.in_scope(None) if c.type == 1}
        )
        raise DriverError(
            f"no /{parts[0]} command is synced for guild {guild.key}; synced commands: {synced}"
        )
    required = command.definition.get("default_member_permissions")
    if required is not None and not ignore_default_permissions:
        need = int(required)
        have = guild.base_permissions(member)
        if have & need != need or (need == 0 and not have & perms.ADMINISTRATOR):
            raise DriverError(
                f"/{command.name} is hidden from {member.user.username} by default_member_permissions={required}; "
                "pass ignore_default_permissions=True to simulate a server override"
            )
    definitions, chain = find_leaf(command, parts[1:])
    given = dict(options or {})
    resolved = _Resolved(guild, channel)
    leaf_values: list[JsonDict] = []
    focused_type: int | None = None
    by_name = {d.get("name"): d for d in definitions}
    for key in given:
        if key not in by_name:
            raise DriverError(
                f"/{' '.join(parts)} has no option {key!r}; options: {_describe_options(definitions)}"
            )
    if focused is not None and focused not in given:
        raise DriverError(f"focused option {focused!r} needs a (partial) value in options")
    for definition in definitions:
        opt_name = definition.get("name")
        if opt_name not in given:
            if definition.get("required") and focused is None:
                raise DriverError(f"/{' '.join(parts)} requires option {opt_name!r}")
            continue
        value = given[opt_name]
        entry: JsonDict = {"name": opt_name, "type": definition.get("type")}
        if opt_name == focused:
            if not definition.get("autocomplete"):
                raise DriverError(
                    f"option {opt_name!r} of /{' '.join(parts)} does not have autocomplete enabled"
                )
            entry["value"] = str(value)
            entry["focused"] = True
            focused_type = definition.get("type")
        else:
            entry["value"] = convert_option(state, guild, member, resolved, definition, value)
        leaf_values.append(entry)
    nested: list[JsonDict] = leaf_values
    for link in reversed(chain):
        nested = [{"name": link.get("name"), "type": link.get("type"), "options": nested}]
    data: JsonDict = {"id": str(command.id), "name": command.name, "type": 1}
    if nested:
        data["options"] = nested
    if resolved.data:
        data["resolved"] = resolved.data
    if command.guild_id is not None:
        data["guild_id"] = str(command.guild_id)
    itype = AUTOCOMPLETE if focused is not None else APPLICATION_COMMAND
    interaction_id, token, payload = _base_payload(
        state, itype=itype, guild=guild, member=member, channel=channel, data=data, locale=locale
    )
    return InteractionState(
        id=interaction_id,
        token=token,
        type=itype,
        guild=guild,
        member=member,
        channel=channel,
        payload=payload,
        created_at=state.now(),
        label="/" + " ".join(parts),
        focused_option_type=focused_type,
    )


def build_message_command_interaction(
    state: SimState,
    guild: SimGuild,
    member: SimMember,
    target: StoredMessage,
    name: str,
    *,
    ignore_default_permissions: bool = False,
) -> InteractionState:
    """An APPLICATION_COMMAND interaction for the message context menu ``name`` on ``target``."""
    channel = guild.channels[target.channel_id]
    _check_can_use(guild, member, channel)
    command = state.commands.resolve(guild.id, name, command_type=3)
    if command is None:
        raise DriverError(f"no message command {name!r} is synced for guild {guild.key}")
    required = command.definition.get("default_member_permissions")
    if required is not None and not ignore_default_permissions:
        need = int(required)
        if guild.base_permissions(member) & need != need:
            raise DriverError(f"{name!r} is hidden from {member.user.username} by default_member_permissions")
    data: JsonDict = {
        "id": str(command.id),
        "name": command.name,
        "type": 3,
        "target_id": str(target.id),
        "resolved": {"messages": {str(target.id): target.payload()}},
    }
    if command.guild_id is not None:
        data["guild_id"] = str(command.guild_id)
    interaction_id, token, payload = _base_payload(
        state,
        itype=APPLICATION_COMMAND,
        guild=guild,
        member=member,
        channel=channel,
        data=data,
        locale="en-US",
    )
    return InteractionState(
        id=interaction_id,
        token=token,
        type=APPLICATION_COMMAND,
        guild=guild,
        member=member,
        channel=channel,
        payload=payload,
        created_at=state.now(),
        label=f"message command {name!r}",
    )


def build_component_interaction(
    state: SimState,
    message: StoredMessage,
    custom_id: str,
    member: SimMember,
    *,
    values: list[str] | None = None,
    forged: bool = False,
) -> InteractionState:
    """A MESSAGE_COMPONENT interaction for a button click or a select choice on a stored message."""
    found = state.world.find_channel(message.channel_id)
    guild = None if found is None else found[0]
    if found is None or guild is None:
        raise DriverError(f"message {message.id} is not in a guild channel")
    channel = found[1]
    _check_can_use(guild, member, channel)
    if message.deleted:
        raise DriverError(f"message {message.id} was deleted")
    if message.flags & (1 << 6) and message.interaction_id is not None:
        owner = state.interactions.get(message.interaction_id)
        if owner is not None and owner.member.id != member.id:
            raise DriverError(
                f"message {message.id} is ephemeral; only {owner.member.user.username} can see it"
            )
    snapshot = message.snapshot()
    # forged: a modified client clicks a custom_id the message does not carry (Discord relays it)
    component = {"type": 2, "custom_id": custom_id} if forged else snapshot.component(custom_id)
    if component is None:
        raise DriverError(
            f"message {message.id} has no component {custom_id!r}; it has {snapshot.custom_ids()}"
        )
    if component.get("disabled"):
        raise DriverError(f"component {custom_id!r} is disabled")
    ctype = component.get("type")
    data: JsonDict = {"custom_id": custom_id, "component_type": ctype}
    if ctype == 2:
        if values is not None:
            raise DriverError(f"{custom_id!r} is a button; use click()")
    else:
        if values is None:
            raise DriverError(f"{custom_id!r} is a select menu; use select() with values")
        options = [o.get("value") for o in component.get("options") or []]
        if ctype == 3 and any(v not in options for v in values):
            raise DriverError(f"values {values} not among the select's options {options}")
        lo, hi = component.get("min_values", 1), component.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise DriverError(f"select {custom_id!r} takes between {lo} and {hi} values, got {len(values)}")
        data["values"] = list(values)
    interaction_id, token, payload = _base_payload(
        state, itype=MESSAGE_COMPONENT, guild=guild, member=member, channel=channel, data=data, locale="en-US"
    )
    payload["message"] = message.payload()
    return InteractionState(
        id=interaction_id,
        token=token,
        type=MESSAGE_COMPONENT,
        guild=guild,
        member=member,
        channel=channel,
        payload=payload,
        created_at=state.now(),
        label=f"component {custom_id}",
        source_message_id=message.id,
    )


def _modal_inputs(modal: JsonDict) -> list[JsonDict]:
    inputs: list[JsonDict] = []
    for comp in modal.get("components") or []:
        if comp.get("type") == 1:
            inputs.extend(c for c in comp.get("components") or [] if c.get("type") == 4)
        elif comp.get("type") == 18 and (comp.get("component") or {}).get("type") == 4:
            inputs.append(comp["component"])
    return inputs


def build_modal_submit(
    state: SimState,
    parent: InteractionState,
    custom_id: str | None,
    values: Mapping[str, str],
    member: SimMember,
) -> InteractionState:
    """A MODAL_SUBMIT for the modal ``parent`` answered with, filled with ``values`` (checked like the client)."""
    modal = parent.modal
    if modal is None:
        raise DriverError(
            f"{parent.label} did not answer with a modal (initial response type {parent.initial_type})"
        )
    if custom_id is not None and custom_id != modal.get("custom_id"):
        raise DriverError(f"the modal's custom_id is {modal.get('custom_id')!r}, not {custom_id!r}")
    inputs = _modal_inputs(modal)
    by_id = {str(i.get("custom_id")): i for i in inputs}
    for key in values:
        if key not in by_id:
            raise DriverError(f"modal has no text input {key!r}; inputs: {list(by_id)}")
    for input_id, definition in by_id.items():
        value = values.get(input_id, definition.get("value") or "")
        if definition.get("required", True) and not value:
            raise DriverError(f"text input {input_id!r} is required")
        lo, hi = definition.get("min_length"), definition.get("max_length", 4000)
        if value and ((lo is not None and len(value) < lo) or len(value) > hi):
            raise DriverError(f"text input {input_id!r}: length {len(value)} outside [{lo}, {hi}]")
    components: list[JsonDict] = []
    for comp in modal.get("components") or []:
        if comp.get("type") == 1:
            row = [
                {
                    "type": 4,
                    "id": c.get("id"),
                    "custom_id": c.get("custom_id"),
                    "value": values.get(str(c.get("custom_id")), c.get("value") or ""),
                }
                for c in comp.get("components") or []
                if c.get("type") == 4
            ]
            components.append({"type": 1, "id": comp.get("id"), "components": row})
        elif comp.get("type") == 18:
            child = comp.get("component") or {}
            inner: JsonDict = {
                "type": child.get("type"),
                "id": child.get("id"),
                "custom_id": child.get("custom_id"),
            }
            if child.get("type") == 4:
                inner["value"] = values.get(str(child.get("custom_id")), child.get("value") or "")
            components.append({"type": 18, "id": comp.get("id"), "component": inner})
        elif comp.get("type") == 10:
            components.append({"type": 10, "id": comp.get("id")})
    data: JsonDict = {"custom_id": modal.get("custom_id"), "components": components}
    interaction_id, token, payload = _base_payload(
        state,
        itype=MODAL_SUBMIT,
        guild=parent.guild,
        member=member,
        channel=parent.channel,
        data=data,
        locale=str(parent.payload.get("locale", "en-US")),
    )
    source = state.store.get(parent.source_message_id or 0)
    if source is not None:
        payload["message"] = source.payload()
    return InteractionState(
        id=interaction_id,
        token=token,
        type=MODAL_SUBMIT,
        guild=parent.guild,
        member=member,
        channel=parent.channel,
        payload=payload,
        created_at=state.now(),
        label=f"modal {modal.get('custom_id')}",
        source_message_id=parent.source_message_id,
        parent_id=parent.id,
    )


def dispatch_interaction(state: SimState, inter: InteractionState) -> None:
    """Register the interaction and send INTERACTION_CREATE to the shard that owns its guild."""
    if state.gateway is None:
        raise DriverError("the simulator has no gateway")
    session = state.gateway.session_for_guild(inter.guild.id)
    if session is None:
        raise DriverError(
            f"no bot session covers guild {inter.guild.key} (shard {(inter.guild.id >> 22)} mod shard_count); "
            "is the bot connected?"
        )
    state.interactions[inter.id] = inter
    state.by_token[inter.token] = inter
    inter.created_at = state.now()
    state.gateway.dispatch(session, "INTERACTION_CREATE", inter.payload)
    state.bump()
