"""Would a message, as sent, notify anyone? (allowed_mentions semantics from the docs)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")

CHANNEL_DEFAULT_PARSE = ("users", "roles", "everyone")
"""Regular channel messages parse every mention type when allowed_mentions is absent."""
WEBHOOK_DEFAULT_PARSE = ("users",)
"""Interaction responses and webhooks parse only user mentions by default."""


def text_of_components(components: Iterable[Any]) -> list[str]:
    """Text display contents (components v2 can ping too)."""
    texts: list[str] = []
    for comp in components or []:
        if not isinstance(comp, dict):
            continue
        if comp.get("type") == 10 and isinstance(comp.get("content"), str):
            texts.append(comp["content"])
        texts.extend(text_of_components(comp.get("components") or []))
        if isinstance(comp.get("component"), dict):
            texts.extend(text_of_components([comp["component"]]))
        if isinstance(comp.get("accessory"), dict):
            texts.extend(text_of_components([comp["accessory"]]))
    return texts


def pings(
    *,
    content: str | None,
    components: Iterable[Any] = (),
    allowed_mentions: dict[str, Any] | None,
    default_parse: tuple[str, ...],
    replied_user_id: int | None = None,
) -> list[str]:
    """The notifications a message would trigger: "@everyone", "@here", "user:<id>", "role:<id>", "reply:<id>".

    Permission to mention @everyone or unmentionable roles is ignored on purpose: the question
    is whether the payload *allows* a ping, which is what the bot controls.
    """
    texts = [content or "", *text_of_components(components)]
    if allowed_mentions is None:
        parse: set[str] = set(default_parse)
        users: set[str] = set()
        roles: set[str] = set()
        replied = True
    else:
        parse = set(allowed_mentions.get("parse") or [])
        users = {str(u) for u in allowed_mentions.get("users") or []}
        roles = {str(r) for r in allowed_mentions.get("roles") or []}
        replied = bool(allowed_mentions.get("replied_user", False))
    found: list[str] = []
    for text in texts:
        if "everyone" in parse:
            if "@everyone" in text and "@everyone" not in found:
                found.append("@everyone")
            if "@here" in text and "@here" not in found:
                found.append("@here")
        for user_id in USER_MENTION.findall(text):
            if ("users" in parse or user_id in users) and f"user:{user_id}" not in found:
                found.append(f"user:{user_id}")
        for role_id in ROLE_MENTION.findall(text):
            if ("roles" in parse or role_id in roles) and f"role:{role_id}" not in found:
                found.append(f"role:{role_id}")
    if replied_user_id is not None and replied:
        found.append(f"reply:{replied_user_id}")
    return found


def would_ping(
    payload: dict[str, Any], *, channel_message: bool = True, replied_user_id: int | None = None
) -> list[str]:
    """Pings for a raw message payload as a bot would send it (empty list = nobody is notified)."""
    return pings(
        content=payload.get("content"),
        components=payload.get("components") or [],
        allowed_mentions=payload.get("allowed_mentions"),
        default_parse=CHANNEL_DEFAULT_PARSE if channel_message else WEBHOOK_DEFAULT_PARSE,
        replied_user_id=replied_user_id,
    )
