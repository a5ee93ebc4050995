"""Messages and attachments: the server-side store and the snapshots tests see."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .json_codec import copy_json
from .mentions import pings as compute_pings
from .records import UploadedFile
from .snowflakes import iso
from .validate_messages import EPHEMERAL, LOADING
from .world import SimUser

JsonDict = dict[str, Any]

DEFAULT = 0
REPLY = 19
CHAT_INPUT_COMMAND = 20


@dataclass(frozen=True)
class SimAttachment:
    """A stored attachment with its bytes (served by the simulator at ``url``)."""

    id: int
    filename: str
    content_type: str
    size: int
    url: str
    data: bytes

    def payload(self) -> JsonDict:
        """The attachment object as Discord sends it."""
        return {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url + "?proxy=1",
            "content_type": self.content_type,
        }

    def text(self, encoding: str = "utf-8") -> str:
        """The attachment decoded as text."""
        return self.data.decode(encoding)


@dataclass(frozen=True)
class SimMessage:
    """An immutable snapshot of a message as users would see it."""

    id: int
    channel_id: int
    guild_id: int | None
    author_id: int
    type: int
    content: str
    embeds: tuple[JsonDict, ...]
    components: tuple[JsonDict, ...]
    flags: int
    attachments: tuple[SimAttachment, ...]
    nonce: str | int | None
    interaction_id: int | None
    deleted: bool
    edit_count: int
    pings: tuple[str, ...]
    raw: JsonDict = field(repr=False, compare=False)

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user can see it (flag 64)."""
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Whether it is still the "thinking…" placeholder of a deferred response (flag 128)."""
        return bool(self.flags & LOADING)

    @property
    def would_ping(self) -> bool:
        """Whether sending it would have notified anyone (see ``pings``)."""
        return bool(self.pings)

    def embed(self, index: int = 0) -> JsonDict:
        """One embed (raises IndexError with the count if absent)."""
        if index >= len(self.embeds):
            raise IndexError(f"message {self.id} has {len(self.embeds)} embed(s), wanted #{index}")
        return self.embeds[index]

    def embed_text(self) -> str:
        """All human-visible embed text, one part per line."""
        parts: list[str] = []
        for embed in self.embeds:
            parts.extend(str(embed[k]) for k in ("title", "description") if embed.get(k))
            for fld in embed.get("fields") or []:
                parts.extend([str(fld.get("name", "")), str(fld.get("value", ""))])
            for key in ("author", "footer"):
                sub = embed.get(key) or {}
                text = sub.get("name") or sub.get("text")
                if text:
                    parts.append(str(text))
        return "\n".join(parts)

    def text(self) -> str:
        """Content plus embed text plus text displays: everything a reader sees."""
        from .mentions import text_of_components

        return "\n".join(
            p for p in [self.content, self.embed_text(), *text_of_components(self.components)] if p
        )

    def buttons(self) -> list[JsonDict]:
        """Every button (type 2) in the message, in order."""
        return [c for c in _walk(self.components) if c.get("type") == 2]

    def button(self, *, label: str | None = None, custom_id: str | None = None) -> JsonDict:
        """The first button with this label or custom_id (raises LookupError listing the buttons)."""
        for button in self.buttons():
            if (label is None or button.get("label") == label) and (
                custom_id is None or button.get("custom_id") == custom_id
            ):
                return button
        found = [(b.get("label"), b.get("custom_id")) for b in self.buttons()]
        raise LookupError(
            f"no button label={label!r} custom_id={custom_id!r} in message {self.id}; has {found}"
        )

    def custom_ids(self) -> list[str]:
        """Every interactive component's custom_id."""
        return [c["custom_id"] for c in _walk(self.components) if isinstance(c.get("custom_id"), str)]

    def component(self, custom_id: str) -> JsonDict | None:
        """The component with this custom_id, if any."""
        for comp in _walk(self.components):
            if comp.get("custom_id") == custom_id:
                return comp
        return None


def _walk(components: Any) -> list[JsonDict]:
    out: list[JsonDict] = []
    for comp in components or []:
        if isinstance(comp, dict):
            out.append(comp)
            out.extend(_walk(comp.get("components")))
            for key in ("component", "accessory"):
                if isinstance(comp.get(key), dict):
                    out.extend(_walk([comp[key]]))
    return out


@dataclass
class StoredMessage:
    """A message as the simulator holds it (mutable; only touched on the simulator loop)."""

    id: int
    channel_id: int
    guild_id: int | None
    author: SimUser
    type: int
    created_at: float
    default_parse: tuple[str, ...]
    content: str = ""
    embeds: list[JsonDict] = field(default_factory=list)
    components: list[JsonDict] = field(default_factory=list)
    flags: int = 0
    attachments: list[SimAttachment] = field(default_factory=list)
    tts: bool = False
    nonce: str | int | None = None
    allowed_mentions: JsonDict | None = None
    message_reference: JsonDict | None = None
    replied_user_id: int | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction: JsonDict | None = None
    interaction_id: int | None = None
    edited_at: float | None = None
    edit_count: int = 0
    deleted: bool = False
    first_pings: list[str] = field(default_factory=list)

    def apply(self, data: JsonDict, new_attachments: list[SimAttachment], *, edit: bool) -> None:
        """Apply a create or edit body (null clears a field on edit, absent keeps it)."""
        if "content" in data:
            self.content = data["content"] or ""
        if "embeds" in data:
            self.embeds = [_normalise_embed(e) for e in data["embeds"] or []]
        if "components" in data:
            self.components = copy_json(data["components"] or [])
        if "flags" in data and data["flags"] is not None:
            if edit:  # an existing message's ephemeral state cannot change
                self.flags = (data["flags"] & ~(EPHEMERAL | LOADING)) | (self.flags & (EPHEMERAL | LOADING))
            else:
                self.flags = data["flags"]
        if "allowed_mentions" in data:
            self.allowed_mentions = data["allowed_mentions"]
        if "tts" in data and not edit:
            self.tts = bool(data["tts"])
        if "attachments" in data and edit:
            keep_ids = {str(a.get("id")) for a in data["attachments"] or [] if isinstance(a, dict)}
            self.attachments = [a for a in self.attachments if str(a.id) in keep_ids]
        self.attachments.extend(new_attachments)
        if edit:
            self.edit_count += 1

    def current_pings(self) -> list[str]:
        """Who this message, as currently set, would notify."""
        return compute_pings(
            content=self.content,
            components=self.components,
            allowed_mentions=self.allowed_mentions,
            default_parse=self.default_parse,
            replied_user_id=self.replied_user_id,
        )

    def payload(self) -> JsonDict:
        """The message object as Discord sends it."""
        pings = self.current_pings()
        data: JsonDict = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": None if self.edited_at is None else iso(self.edited_at),
            "tts": self.tts,
            "mention_everyone": any(p in ("@everyone", "@here") for p in pings),
            "mentions": [],
            "mention_roles": [p.split(":", 1)[1] for p in pings if p.startswith("role:")],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": copy_json(self.embeds),
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
            "components": copy_json(self.components),
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction is not None:
            data["interaction"] = self.interaction
            data["interaction_metadata"] = {
                "id": self.interaction["id"],
                "type": self.interaction["type"],
                "user": self.interaction["user"],
                "authorizing_integration_owners": {"0": str(self.guild_id)} if self.guild_id else {},
            }
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        return data

    def snapshot(self) -> SimMessage:
        """An immutable copy for tests."""
        return SimMessage(
            id=self.id,
            channel_id=self.channel_id,
            guild_id=self.guild_id,
            author_id=self.author.id,
            type=self.type,
            content=self.content,
            embeds=tuple(copy_json(self.embeds)),
            components=tuple(copy_json(self.components)),
            flags=self.flags,
            attachments=tuple(self.attachments),
            nonce=self.nonce,
            interaction_id=self.interaction_id,
            deleted=self.deleted,
            edit_count=self.edit_count,
            pings=tuple(dict.fromkeys(self.first_pings + self.current_pings())),
            raw=self.payload(),
        )


def _normalise_embed(embed: JsonDict) -> JsonDict:
    out = copy_json(embed)
    out.setdefault("type", "rich")
    for fld in out.get("fields") or []:
        fld.setdefault("inline", False)
    return out


class MessageStore:
    """Every message and attachment the simulator holds, plus the nonce index."""

    def __init__(self, http_base: str) -> None:
        self.http_base = http_base
        self.messages: dict[int, StoredMessage] = {}
        self.by_channel: dict[int, list[int]] = {}
        self.attachments: dict[int, SimAttachment] = {}
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}

    def add(self, message: StoredMessage) -> StoredMessage:
        """Store a new message."""
        self.messages[message.id] = message
        self.by_channel.setdefault(message.channel_id, []).append(message.id)
        message.first_pings = message.current_pings()
        return message

    def get(self, message_id: int) -> StoredMessage | None:
        """A live (not deleted) message."""
        message = self.messages.get(message_id)
        return None if message is None or message.deleted else message

    def store_attachment(
        self, attachment_id: int, channel_id: int, filename: str, content_type: str | None, data: bytes
    ) -> SimAttachment:
        """Keep an attachment's bytes and serve them under the simulator's /attachments/ path."""
        ctype = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        url = f"{self.http_base}/attachments/{channel_id}/{attachment_id}/{quote(filename)}"
        att = SimAttachment(attachment_id, filename, ctype, len(data), url, data)
        self.attachments[attachment_id] = att
        return att

    def attachments_from_upload(
        self, channel_id: int, data: JsonDict, files: list[UploadedFile], new_id: Any
    ) -> list[SimAttachment]:
        """Turn multipart ``files[n]`` parts (matched to ``attachments[].id``) into stored attachments."""
        by_index = {f.field_name.removeprefix("files[").removesuffix("]"): f for f in files}
        out: list[SimAttachment] = []
        described = {str(a.get("id")): a for a in data.get("attachments") or [] if isinstance(a, dict)}
        for index, upload in by_index.items():
            meta = described.get(index, {})
            filename = meta.get("filename") or upload.filename
            out.append(
                self.store_attachment(new_id(), channel_id, filename, upload.content_type, upload.data)
            )
        return out
