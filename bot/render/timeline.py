"""What happened when: one page of a topic's events, `timeline_embed`."""

from __future__ import annotations

import discord

from bot.domain import Actor, Event, FuzzyDate, PageOf, Topic
from bot.render import hints, limits
from bot.render.blocks import budgeted_fields, event_name, event_value
from bot.render.pager import join_footer, make_embed
from bot.render.parts import scope_note
from bot.render.style import EMPTY, NEUTRAL
from bot.render.text import inline, plural

TIMELINE_PAGE_SIZE = 8
"""Events per page: the page size the caller asks the store for."""
MAX_EVENTS_SHOWN = 12
"""A page holding more events than this lists the rest as `… and N more` (the store should not send them)."""


def timeline_embed(
    topic: Topic,
    page: PageOf[Event],
    actor: Actor | None = None,
    since: FuzzyDate | None = None,
    until: FuzzyDate | None = None,
) -> discord.Embed:
    """One page of events in the order given (the store's date order), with filters and page count."""
    title = f"🗓️ Timeline — {inline(topic.title, 200)}"
    filters = _filters(actor, since, until)
    shown = page.items[:MAX_EVENTS_SHOWN]
    hidden = len(page.items) - len(shown)
    lines = [filters, scope_note(topic.guild_id)]
    if not page.items:
        lines.append(
            "No events match these filters." if filters else "No events recorded for this topic yet."
        )
    if hidden:
        lines.append(f"… and {hidden} more events on this page — narrow the dates to see them.")
    description = "\n".join(line for line in lines if line)
    footer = join_footer(
        f"Page {page.number + 1}/{page.count}",
        plural(page.total, "event"),
        f"{hints.entry()} for sources" if page.items else "",
    )
    budget = limits.EMBED_TOTAL - len(title) - len(description) - limits.FOOTER_BUDGET
    fields = budgeted_fields(
        shown, event_name, lambda e, limit: event_value(e, limit, with_actors=actor is None), budget
    )
    return make_embed(
        title=title,
        description=description,
        colour=NEUTRAL if page.items else EMPTY,
        fields=fields,
        footer=footer,
    )


def _filters(actor: Actor | None, since: FuzzyDate | None, until: FuzzyDate | None) -> str:
    parts = []
    if actor is not None:
        parts.append(f"👤 **{inline(actor.name, 150)}**")
    if since is not None:
        parts.append(f"from {since.human()}")
    if until is not None:
        parts.append(f"until {until.human()}")
    return "Filtered: " + " · ".join(parts) if parts else ""
