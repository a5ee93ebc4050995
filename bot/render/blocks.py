"""One entry as a compact field (position or event), sized to a character budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.domain import Event, Position
from bot.render import limits
from bot.render.budget import share_budget
from bot.render.pager import FieldSpec
from bot.render.parts import actor_names, assemble, meta_line, source_links
from bot.render.style import stance_text
from bot.render.text import escape, inline, truncate
from bot.render.trust import disputed_banner, flags_after

NAME_LIMIT = 200
T = TypeVar("T")


def _sources_cap(limit: int) -> int:
    return min(420, max(limit // 4, 120))


def _with_correction(entry: Position | Event, limit: int, tail: Sequence[str]) -> list[str]:
    """The head lines: the disputed banner, given every character the `tail` lines leave.

    The correction comes before the summary: the summary gets only what the banner leaves, and the
    banner is whole or cut at a sentence end with a pointer to `/entry` (see `trust.correction`).
    """
    fixed = sum(len(line) + 1 for line in tail if line)
    return [disputed_banner(entry, max(0, limit - fixed))]


def position_name(p: Position, *, with_topic: bool = True) -> str:
    """`🟢 Supports · Topic`, flagged ⚠️ when disputed."""
    name = stance_text(p.stance)
    if with_topic:
        name += f" · {inline(p.topic.title, 110)}"
    name += flags_after(p)
    return inline_clip(name)


def position_value(p: Position, limit: int) -> str:
    """Disputed banner, summary, date/status/id line and source links within `limit`."""
    tail = [meta_line(p), source_links(p.sources, _sources_cap(limit))]
    return assemble(limit, _with_correction(p, limit, tail), escape(p.summary), tail)


def event_name(e: Event) -> str:
    """`17 Mar 2025 · Title`, flagged ⚠️ when disputed."""
    name = f"{e.date.human()} · {inline(e.title, 120)}"
    name += flags_after(e)
    return inline_clip(name)


def event_value(e: Event, limit: int, *, with_actors: bool = True) -> str:
    """Disputed banner, summary, actors, date/status/id line and source links within `limit`."""
    tail = [
        actor_names(e.actors, min(160, max(limit // 6, 40))) if with_actors else "",
        meta_line(e),
        source_links(e.sources, _sources_cap(limit)),
    ]
    return assemble(limit, _with_correction(e, limit, tail), escape(e.summary), tail)


def inline_clip(name: str) -> str:
    """A field name no longer than NAME_LIMIT (already escaped text)."""
    return truncate(name, NAME_LIMIT)


def budgeted_fields(
    items: Sequence[T],
    name: Callable[[T], str],
    value: Callable[[T, int], str],
    budget: int,
) -> list[FieldSpec]:
    """One field per item, sharing `budget` characters: short items whole, long ones trimmed evenly."""
    names = [name(item) for item in items]
    values = [value(item, limits.FIELD_VALUE) for item in items]
    shares = share_budget([len(n) + len(v) for n, v in zip(names, values, strict=True)], budget)
    return [
        FieldSpec(n, v if len(n) + len(v) <= share else value(item, max(1, share - len(n))))
        for n, v, item, share in zip(names, values, items, shares, strict=True)
    ]
