"""Where an actor stands: `positions_embed` (one actor, many topics, a page at a time) and
`compare_embed` (two actors)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain import Actor, Position, Status, Topic
from bot.render import hints, limits
from bot.render.blocks import budgeted_fields, position_name, position_value
from bot.render.budget import fit_lines
from bot.render.gist import gist
from bot.render.pager import FieldSpec, join_footer, make_embed, page_label
from bot.render.parts import (
    NO_SOURCE,
    assemble,
    meta_line,
    scope_note,
    source_line,
)
from bot.render.style import (
    DISPUTED,
    EMPTY,
    KIND_LABEL,
    NEUTRAL,
    STANCE_LABEL,
    STANCE_MARKER,
    stance_colour,
    stance_text,
)
from bot.render.text import escape, inline, plural, truncate
from bot.render.trust import caveat_lines, disputed_banner

POSITIONS_PER_PAGE = 6
SINGLE_SUMMARY_LIMIT = 3000


def positions_embed(
    actor: Actor, chunk: Sequence[Position], total: int, number: int, topic: Topic | None = None
) -> discord.Embed:
    """Page `number` (0-based) of an actor's `total` current positions: `chunk` is that page's.

    Pages hold a fixed POSITIONS_PER_PAGE each, so a page needs none of the others (an actor with
    positions on 140 topics has 24 pages; a button asks for one).
    """
    name = inline(actor.name, 120)
    title = f"{name} on {inline(topic.title, 120)}" if topic else f"{name} — where they stand"
    if not chunk:
        return _no_position(actor, topic, title)
    if total == 1:
        return _single(chunk[0], f"{name} on {inline(chunk[0].topic.title, 120)}")
    count = -(-total // POSITIONS_PER_PAGE)
    description = _actor_line(actor, total)
    footer = join_footer(
        page_label(number + 1, count),
        plural(total, "position"),
        hints.menu("sources and history"),
    )
    budget = limits.EMBED_TOTAL - len(title) - len(description) - limits.FOOTER_BUDGET
    fields = budgeted_fields(
        chunk, lambda p: position_name(p, with_topic=topic is None), position_value, budget
    )
    return make_embed(
        title=title, description=description, colour=_colour(chunk), fields=fields, footer=footer
    )


def compare_embed(
    topic: Topic, a: Actor, pa: Position | None, b: Actor, pb: Position | None
) -> discord.Embed:
    """Two actors' current positions on `topic`, side by side."""
    title = f"{inline(a.name, 90)} vs {inline(b.name, 90)} — {inline(topic.title, 70)}"
    both = [p for p in (pa, pb) if p is not None]
    if any(p.status is Status.DISPUTED for p in both):
        colour = DISPUTED
    elif len(both) == 2 and pa and pb and pa.stance is pb.stance:
        colour = stance_colour(pa.stance)
    else:
        colour = NEUTRAL
    fields = [
        FieldSpec(inline(actor.name, 200), _compare_value(actor, p), inline=True)
        for actor, p in ((a, pa), (b, pb))
    ]
    footer = hints.menu("every source and earlier statements") if both else ""
    gists = [_gist_line(actor, p) for actor, p in ((a, pa), (b, pb))]
    description = "\n".join(part for part in (*gists, scope_note(topic.guild_id)) if part)
    return make_embed(title=title, description=description, colour=colour, fields=fields, footer=footer)


def _gist_line(actor: Actor, p: Position | None) -> str:
    """`🔴 **Russia** — Opposes: <gist>`, leading /compare."""
    if p is None:
        return f"⚪ **{inline(actor.name, 90)}** — no recorded position"
    flag = " ⚠️" if p.status is Status.DISPUTED else ""
    return (
        f"{STANCE_MARKER[p.stance]} **{inline(actor.name, 90)}**{flag} — {STANCE_LABEL[p.stance]}: {gist(p)}"
    )


def _compare_value(actor: Actor, p: Position | None) -> str:
    if p is None:
        return f"⚪ _No recorded position for {inline(actor.name, 200)}_"
    return f"**{stance_text(p.stance)}**\n" + position_value(
        p, limits.FIELD_VALUE - len(stance_text(p.stance)) - 5
    )


def _actor_line(actor: Actor, count: int) -> str:
    parts = [KIND_LABEL[actor.kind], plural(count, "current position")]
    if actor.aliases:
        parts.append("aka " + truncate(", ".join(inline(alias, 60) for alias in actor.aliases), 200))
    parts.append(scope_note(actor.guild_id))
    return " · ".join(part for part in parts if part)


def _colour(chunk: Sequence[Position]) -> discord.Colour:
    stances = {p.stance for p in chunk}
    if len(stances) == 1 and all(p.status is not Status.DISPUTED for p in chunk):
        return stance_colour(chunk[0].stance)
    return NEUTRAL


def _no_position(actor: Actor, topic: Topic | None, title: str) -> discord.Embed:
    name = inline(actor.name, 200)
    if topic:
        text = f"No recorded position for **{name}** on **{inline(topic.title, 200)}**."
        hint = f"Try {hints.timeline(topic.slug)} for what has happened"
    else:
        text = f"No recorded positions for **{name}** yet."
        hint = f"Try {hints.TOPICS} to browse topics"
    return make_embed(title=title, description=text, colour=EMPTY, footer=hint)


def _single(p: Position, title: str) -> discord.Embed:
    head = [disputed_banner(p, SINGLE_SUMMARY_LIMIT // 2), f"**{stance_text(p.stance)}**"]
    tail = [*caveat_lines(p), meta_line(p)]
    description = assemble(SINGLE_SUMMARY_LIMIT, head, escape(p.summary), tail)
    lines = [source_line(n, s) for n, s in enumerate(p.sources, start=1)] or [NO_SOURCE]
    sources = fit_lines(lines, limits.FIELD_VALUE, more=lambda n: f"… and {n} more in {hints.entry(p.id)}")
    footer = f"{hints.entry(p.id)} for key points, quote and history"
    return make_embed(
        title=title,
        description=description,
        colour=stance_colour(p.stance, p.status),
        fields=[FieldSpec(f"Sources ({len(p.sources)})", sources)],
        footer=footer,
    )
