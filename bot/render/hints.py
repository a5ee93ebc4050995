"""The slash commands footers point to; one place to change if the cogs rename them."""

from __future__ import annotations

import re

from bot.render.choices import MENU_PLACEHOLDER
from bot.render.text import truncate

_UNSAFE = re.compile(r"[^\w.-]")


def _arg(value: str | None, placeholder: str) -> str:
    """An id or slug as a command argument; stray characters (never in valid ids) become `?`."""
    if value is None:
        return placeholder
    return truncate(_UNSAFE.sub("?", value.strip()), 64) or "?"


def entry(entry_id: str | None = None) -> str:
    """`/entry id:<id>`, or with the given id."""
    return f"/entry id:{_arg(entry_id, '<id>')}"


def menu(what: str) -> str:
    """`Open an entry… below for <what>`: a list's entries open from its menu (their ids are not in
    the list's text)."""
    return f"{MENU_PLACEHOLDER} below for {what}"


def timeline(topic_slug: str | None = None) -> str:
    """`/timeline topic:<slug>`."""
    return f"/timeline topic:{_arg(topic_slug, '<topic>')}"


def positions(actor_slug: str | None = None) -> str:
    """`/position actor:<slug>`."""
    return f"/position actor:{_arg(actor_slug, '<actor>')}"


def brief(topic_slug: str | None = None) -> str:
    """`/brief topic:<slug>`."""
    return f"/brief topic:{_arg(topic_slug, '<topic>')}"


TOPICS = "/topics"
ACTORS = "/actors"
SEARCH = "/search"
