"""What happened when: one page of a topic's events, `timeline_embed`."""

from __future__ import annotations

import discord

from bot.domain import Actor, Event, FuzzyDate, PageOf, Status, Topic
from bot.render import hints, limits
from bot.render.blocks import budgeted_fields, inline_clip
from bot.render.pager import join_footer, make_embed
from bot.render.parts import actor_names, assemble, markers, scope_note, source_links
from bot.render.style import EMPTY, NEUTRAL, STATUS_LABEL
from bot.render.text import escape, inline, one_line, plural, truncate
from bot.render.trust import disputed_banner, flags_before

TIMELINE_PAGE_SIZE = 5
"""Events per page: the page size the caller asks the store for."""
SUMMARY_LIMIT = 200
"""An event's summary in the list: the rest is one click away in its /entry."""
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
        hints.menu("sources") if page.items else "",
    )
    budget = limits.EMBED_TOTAL - len(title) - len(description) - limits.FOOTER_BUDGET
    fields = budgeted_fields(
        shown, timeline_name, lambda e, limit: timeline_value(e, limit, with_actors=actor is None), budget
    )
    return make_embed(
        title=title,
        description=description,
        colour=NEUTRAL if page.items else EMPTY,
        fields=fields,
        footer=footer,
    )


def timeline_name(e: Event) -> str:
    """`⚠️ 17 Mar 2025 · Title`: a disputed event's flag first."""
    return inline_clip(f"{flags_before(e)}{e.date.human()} · {inline(e.title, 120)}")


def timeline_value(e: Event, limit: int, *, with_actors: bool = True) -> str:
    """The summary (≤ 200 characters, cut at a word), the correction on its own line, then one
    metadata line: status · actors · sources as linked names. The date is in the field's name only."""
    meta = [
        STATUS_LABEL[e.status],
        actor_names(e.actors, 120) if with_actors else "",
        *markers(e),
    ]
    head = " · ".join(part for part in meta if part)
    links = source_links(e.sources, max(60, min(400, limit // 3) - len(head) - 3)).removeprefix("🔗 ")
    meta_text = f"{head} · {links}" if links else head
    summary = truncate(escape(one_line(e.summary)), SUMMARY_LIMIT)
    banner = ""
    if e.status is Status.DISPUTED:
        banner = disputed_banner(e, max(0, limit - len(meta_text) - 2))
    # The correction first, on its own line (whole, or cut at a sentence end with a pointer).
    return assemble(limit, [banner], summary, [meta_text])


def _filters(actor: Actor | None, since: FuzzyDate | None, until: FuzzyDate | None) -> str:
    parts = []
    if actor is not None:
        parts.append(f"👤 **{inline(actor.name, 150)}**")
    if since is not None:
        parts.append(f"from {since.human()}")
    if until is not None:
        parts.append(f"until {until.human()}")
    return "Filtered: " + " · ".join(parts) if parts else ""
