"""The "Open an entry…" menu's options: one short plain label per item a list message shows."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain import Event, Position, SearchHit, Status
from bot.render.style import STANCE_LABEL, STANCE_MARKER
from bot.render.text import one_line, truncate

MENU_PLACEHOLDER = "Open an entry…"
MAX_OPTIONS = 25
"""Discord's limit of options in one select menu."""
LABEL_LIMIT = 100
"""Discord's limit on an option's label."""

Choice = tuple[str, str]
"""(entry id, label)."""


def entry_choice(item: Position | Event | SearchHit) -> Choice:
    """The entry's id and a label read at a glance: `🔴 Russia — Opposes · 18 Mar 2025`."""
    flag = "⚠️ " if item.status is Status.DISPUTED else ""
    if isinstance(item, Position):
        label = f"{STANCE_MARKER[item.stance]} {flag}{item.actor.name} — {STANCE_LABEL[item.stance]}"
        label += f" · {item.topic.title} · {item.stated.human()}"
        return item.id, _plain(label)
    if isinstance(item, Event):
        return item.id, _plain(f"📅 {item.date.human()} — {flag}{item.title}")
    return item.entry_id, _plain(f"{flag}{item.title} · {item.date.human()}")


def entry_choices(items: Iterable[Position | Event | SearchHit]) -> tuple[Choice, ...]:
    """Choices for the items, in order, without repeats, at most MAX_OPTIONS."""
    seen: dict[str, str] = {}
    for item in items:
        entry_id, label = entry_choice(item)
        seen.setdefault(entry_id, label)
    return tuple(seen.items())[:MAX_OPTIONS]


def _plain(text: str) -> str:
    """Menu labels are plain text (no markdown): only collapse whitespace and shorten."""
    return truncate(one_line(text), LABEL_LIMIT)
