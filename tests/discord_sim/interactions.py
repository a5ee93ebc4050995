"""Interaction lifecycle on the simulator side: callbacks, @original, follow-ups, deadlines."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from . import api_errors as err
from .api_errors import FormErrors
from .mentions import WEBHOOK_DEFAULT_PARSE
from .messages import CHAT_INPUT_COMMAND, DEFAULT, SimAttachment, StoredMessage
from .records import UploadedFile
from .state import SimState
from .validate_messages import (
    EPHEMERAL,
    IS_COMPONENTS_V2,
    LOADING,
    SUPPRESS_EMBEDS,
    SUPPRESS_NOTIFICATIONS,
    validate_autocomplete_choices,
    validate_message,
    validate_modal,
)
from .world import SimChannel, SimGuild, SimMember

JsonDict = dict[str, Any]

APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

GUILD_MESSAGES_INTENT = 1 << 9
RESPONSE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_COMPONENTS_V2


@dataclass
class InteractionState:
    """One interaction the simulator dispatched, and everything the bot did with it."""

    id: int
    token: str
    type: int
    guild: SimGuild
    channel: SimChannel
    member: SimMember
    payload: JsonDict
    created_at: float
    label: str
    source_message_id: int | None = None
    focused_option_type: int | None = None
    parent_id: int | None = None
    initial_type: int | None = None
    initial_at: float | None = None
    initial_data: JsonDict | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    original_edits: int = 0
    modal: JsonDict | None = None
    choices: list[JsonDict] | None = None
    rejections: list[str] = field(default_factory=list)
    last_activity: float = field(default_factory=time.monotonic)

    def allowed_callback_types(self) -> set[int]:
        """Callback types Discord accepts for this interaction type."""
        if self.type == APPLICATION_COMMAND:
            return {4, 5, 9}
        if self.type == MESSAGE_COMPONENT:
            return {4, 5, 6, 7, 9}
        if self.type == AUTOCOMPLETE:
            return {8}
        if self.type == MODAL_SUBMIT:  # UPDATE_MESSAGE needs the message the modal's component was on
            return {4, 5, 6, 7} if self.source_message_id is not None else {4, 5, 6}
        return {1}

    def touch(self) -> None:
        """Note activity (for idle waits)."""
        self.last_activity = time.monotonic()


def _is_empty(data: JsonDict, files: list[UploadedFile]) -> bool:
    return not (
        data.get("content")
        or data.get("embeds")
        or data.get("components")
        or files
        or data.get("poll")
        or data.get("sticker_ids")
    )


def _interaction_object(inter: InteractionState) -> JsonDict | None:
    if inter.type != APPLICATION_COMMAND:
        return None
    return {
        "id": str(inter.id),
        "type": inter.type,
        "name": inter.label.lstrip("/"),
        "user": inter.member.user.payload(),
        "member": inter.member.payload(with_user=False),
    }


def new_response_message(
    state: SimState, inter: InteractionState, data: JsonDict, files: list[UploadedFile], *, flags: int
) -> StoredMessage:
    """Create a message posted through the interaction's webhook (initial response or follow-up)."""
    message = StoredMessage(
        id=state.ids.next(),
        channel_id=inter.channel.id,
        guild_id=inter.guild.id,
        author=state.world.bot,
        type=CHAT_INPUT_COMMAND if inter.type == APPLICATION_COMMAND else DEFAULT,
        created_at=state.now(),
        default_parse=WEBHOOK_DEFAULT_PARSE,
        webhook_id=state.world.application_id,
        application_id=state.world.application_id,
        interaction=_interaction_object(inter),
        interaction_id=inter.id,
    )
    attachments = state.store.attachments_from_upload(inter.channel.id, data, files, state.ids.next)
    message.apply({**data, "flags": flags}, attachments, edit=False)
    state.store.add(message)
    if not flags & EPHEMERAL:
        inter.channel.last_message_id = message.id
        dispatch_message_event(state, message, "MESSAGE_CREATE")
    return message


def dispatch_message_event(state: SimState, message: StoredMessage, event: str) -> None:
    """Send MESSAGE_CREATE/UPDATE to the shard owning the guild if it asked for GUILD_MESSAGES."""
    if state.gateway is not None and message.guild_id is not None:
        # The payload (copies of embeds and components) is built only if a shard subscribed.
        state.gateway.dispatch_to_guild(
            message.guild_id, event, message.payload, intent=GUILD_MESSAGES_INTENT
        )


def _callback_response(
    inter: InteractionState, callback_type: int, message: StoredMessage | None
) -> JsonDict:
    callback: JsonDict = {"id": str(inter.id), "type": inter.type}
    if message is not None:
        callback["response_message_id"] = str(message.id)
        callback["response_message_loading"] = bool(message.flags & LOADING)
        callback["response_message_ephemeral"] = bool(message.flags & EPHEMERAL)
    resource: JsonDict = {"type": callback_type}
    if message is not None and callback_type in (4, 7):
        resource["message"] = message.payload()
    return {"interaction": callback, "resource": resource}


def handle_callback(
    state: SimState, interaction_id: int, token: str, body: Any, files: list[UploadedFile]
) -> tuple[JsonDict, StoredMessage | None]:
    """POST /interactions/{id}/{token}/callback: validate and apply the initial response."""
    inter = state.interactions.get(interaction_id)
    if inter is None or inter.token != token:
        raise err.unknown_interaction()
    inter.touch()
    if inter.initial_type is not None:
        raise err.already_acknowledged()
    if state.now() - inter.created_at > state.config.initial_response_deadline:
        inter.rejections.append("initial response after the 3 s deadline")
        raise err.unknown_interaction()
    form = FormErrors()
    if not isinstance(body, dict):
        form.add("", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        form.raise_if_any()
    callback_type = body.get("type")
    if callback_type is None:
        form.add("type", "BASE_TYPE_REQUIRED", "This field is required")
        form.raise_if_any()
    if callback_type not in inter.allowed_callback_types():
        form.add(
            "type",
            "INTERACTION_RESPONSE_TYPE_INVALID",
            f"Interaction callback type {callback_type!r} is not valid for interaction type {inter.type}",
        )
        form.raise_if_any()
    data = body.get("data") or {}
    if not isinstance(data, dict):
        form.add("data", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        form.raise_if_any()
    message: StoredMessage | None = None
    if callback_type in (4, 7):
        validate_message(form, "data", data)
        form.raise_if_any()
    if callback_type == 4:
        if _is_empty(data, files):
            raise err.empty_message()
        message = new_response_message(
            state, inter, data, files, flags=(data.get("flags") or 0) & RESPONSE_FLAGS
        )
        inter.original_message_id = message.id
    elif callback_type == 5:
        flags = data.get("flags") or 0
        if flags & ~EPHEMERAL:
            form.add(
                "data.flags",
                "INTERACTION_RESPONSE_FLAGS_INVALID",
                "Only the EPHEMERAL flag may be set on a deferred response",
            )
            form.raise_if_any()
        if inter.type in (APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT):
            message = new_response_message(
                state, inter, {"content": ""}, [], flags=LOADING | (flags & EPHEMERAL)
            )
            inter.original_message_id = message.id
    elif callback_type == 6 and inter.source_message_id is None:
        pass  # a modal opened by a slash command: acknowledged, nothing to update
    elif callback_type in (6, 7):
        message = state.store.get(inter.source_message_id or 0)
        if message is None:
            raise err.unknown_message()
        if callback_type == 7:
            attachments = state.store.attachments_from_upload(message.channel_id, data, files, state.ids.next)
            apply_edit(state, message, data, attachments)
            dispatch_message_event(state, message, "MESSAGE_UPDATE")
        inter.original_message_id = message.id
    elif callback_type == 8:
        validate_autocomplete_choices(form, "data", data, inter.focused_option_type)
        form.raise_if_any()
        inter.choices = list(data.get("choices") or [])
    elif callback_type == 9:
        validate_modal(form, "data", data)
        form.raise_if_any()
        inter.modal = data
    inter.initial_type = callback_type
    inter.initial_at = state.now()
    inter.initial_data = data
    state.bump()
    return _callback_response(inter, callback_type, message), message


def interaction_for_webhook(state: SimState, application_id: int, token: str) -> InteractionState:
    """The interaction behind /webhooks/{app}/{token}; 10015 if unknown or older than 15 minutes."""
    inter = state.by_token.get(token)
    if inter is None or application_id != state.world.application_id:
        raise err.unknown_webhook()
    inter.touch()
    if state.now() - inter.created_at > state.config.token_lifetime:
        inter.rejections.append("webhook use after the 15 min token lifetime")
        raise err.unknown_webhook()
    return inter


def message_for_token(state: SimState, inter: InteractionState, message_ref: str) -> StoredMessage:
    """@original or a follow-up id belonging to this token; 10008 otherwise."""
    if message_ref == "@original":
        message_id = inter.original_message_id
    elif message_ref.isdigit() and (
        int(message_ref) in inter.followup_ids or int(message_ref) == inter.original_message_id
    ):
        message_id = int(message_ref)
    else:
        message_id = None
    message = state.store.get(message_id or 0)
    if message is None:
        raise err.unknown_message()
    return message


def apply_edit(
    state: SimState, message: StoredMessage, body: JsonDict, attachments: list[SimAttachment]
) -> None:
    """Apply an edit unless it would leave the message empty (50006)."""
    trial = copy.copy(message)  # apply() replaces fields; only the attachment list is extended in place
    trial.attachments = list(message.attachments)
    trial.apply(body, list(attachments), edit=True)
    if not (trial.content or trial.embeds or trial.components or trial.attachments):
        raise err.empty_message()
    message.apply(body, attachments, edit=True)
    message.edited_at = state.now()


def edit_message(
    state: SimState,
    inter: InteractionState,
    message: StoredMessage,
    body: JsonDict,
    files: list[UploadedFile],
) -> JsonDict:
    """PATCH a webhook message: validate, apply, finish a deferred "thinking" state."""
    form = FormErrors()
    validate_message(form, "", body)
    form.raise_if_any()
    attachments = state.store.attachments_from_upload(message.channel_id, body, files, state.ids.next)
    apply_edit(state, message, body, attachments)
    message.flags &= ~LOADING
    if message.id == inter.original_message_id:
        inter.original_edits += 1
    inter.touch()
    dispatch_message_event(state, message, "MESSAGE_UPDATE")
    state.bump()
    return message.payload()


def create_followup(
    state: SimState, inter: InteractionState, body: JsonDict, files: list[UploadedFile]
) -> JsonDict:
    """POST /webhooks/{app}/{token}: a follow-up, or (documented compatibility) the edit of a deferred original."""
    if inter.initial_type is None or inter.initial_type == 8:
        inter.rejections.append("follow-up before the interaction was acknowledged")
        raise err.unknown_webhook()
    form = FormErrors()
    validate_message(form, "", body)
    form.raise_if_any()
    if _is_empty(body, files):
        raise err.empty_message()
    original = state.store.get(inter.original_message_id or 0)
    if inter.initial_type == 5 and original is not None and original.flags & LOADING:
        edit = {k: v for k, v in body.items() if k != "flags"}
        return edit_message(state, inter, original, edit, files)
    message = new_response_message(state, inter, body, files, flags=(body.get("flags") or 0) & RESPONSE_FLAGS)
    inter.followup_ids.append(message.id)
    inter.touch()
    state.bump()
    return message.payload()


def delete_message(state: SimState, inter: InteractionState, message: StoredMessage) -> None:
    """DELETE a webhook message."""
    message.deleted = True
    inter.touch()
    if state.gateway is not None and message.guild_id is not None and not message.flags & EPHEMERAL:
        state.gateway.dispatch_to_guild(
            message.guild_id,
            "MESSAGE_DELETE",
            {"id": str(message.id), "channel_id": str(message.channel_id), "guild_id": str(message.guild_id)},
            intent=GUILD_MESSAGES_INTENT,
        )
    state.bump()
