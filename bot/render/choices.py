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


def entry_choice(item: Position | Event | SearchHit, *, actor: bool = True, topic: bool = True) -> Choice:
    """The entry's id and a label read at a glance: `🔴 Russia — Opposes · NATO membership · 18 Mar 2025`
    (a search result's position adds "· earlier statement" when it is not current).

    A position's label leaves out its actor (`actor=False`) or topic (`topic=False`) when the list
    around it already names them, so the part that tells the options apart comes first.
    """
    flag = "⚠️ " if item.status is Status.DISPUTED else ""
    if isinstance(item, Position):
        stance = STANCE_LABEL[item.stance]
        named = [name for name, shown in ((item.actor.name, actor), (item.topic.title, topic)) if shown]
        lead = f"{named[0]} — {stance}" if named else stance
        label = " · ".join([lead, *named[1:], item.stated.human()])
        return item.id, _plain(f"{STANCE_MARKER[item.stance]} {flag}{label}")
    if isinstance(item, Event):
        return item.id, _plain(f"📅 {item.date.human()} — {flag}{item.title}")
    if item.kind == "position" and item.stance is not None:
        # Labelled as a listed position is; a search mixes current and earlier statements.
        earlier = "" if item.current else " · earlier statement"
        lead = f"{STANCE_MARKER[item.stance]} {flag}{item.actor} — {STANCE_LABEL[item.stance]}"
        return item.entry_id, _plain(f"{lead} · {item.topic} · {item.date.human()}{earlier}")
    return item.entry_id, _plain(f"📅 {item.date.human()} — {flag}{item.title}")


def entry_choices(items: Iterable[Position | Event | SearchHit]) -> tuple[Choice, ...]:
    """Choices for the items, in order, without repeats, at most MAX_OPTIONS.

    When two or more positions are listed and all share their actor (`/position actor:…`) or their
    topic (`/brief`, `/compare`), their labels leave that out: the message already says it, and a
    menu cut short on a phone then still shows what differs.
    """
    listed = list(items)
    positions = [item for item in listed if isinstance(item, Position)]
    several = len(positions) > 1
    actor = not several or len({(p.actor.guild_id, p.actor.slug) for p in positions}) > 1
    topic = not several or len({(p.topic.guild_id, p.topic.slug) for p in positions}) > 1
    seen: dict[str, str] = {}
    for item in listed:
        entry_id, label = entry_choice(item, actor=actor, topic=topic)
        seen.setdefault(entry_id, label)
    return tuple(seen.items())[:MAX_OPTIONS]


def _plain(text: str) -> str:
    """Menu labels are plain text (no markdown): only collapse whitespace and shorten."""
    return truncate(one_line(text), LABEL_LIMIT)
