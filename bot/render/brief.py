"""The one-screen view of a topic: `brief_embed`."""

from __future__ import annotations

import discord

from bot.domain import Briefing, Event, Position, Status
from bot.render import hints, limits
from bot.render.budget import fit_lines
from bot.render.gist import gist
from bot.render.pager import FieldSpec, join_footer, make_embed, section
from bot.render.parts import scope_note
from bot.render.style import NEUTRAL, STANCE_LABEL, STANCE_MARKER
from bot.render.text import escape, inline, plural, truncate
from bot.render.trust import disputed_banner, flags_after, flags_before

SUMMARY_LIMIT = 1500
EVENTS_LIMIT = 1000
CORRECTION_LIMIT = 300
"""Room for a disputed entry's correction under its line (beyond it: cut at a sentence end, with a pointer)."""
STANCES_NAME = "Where each actor stands"
EVENTS_NAME = "Latest events"


def brief_embed(b: Briefing) -> discord.Embed:
    """Topic summary, one line per actor's current stance, and the latest events."""
    topic = b.topic
    title = f"📋 Briefing — {inline(topic.title, 200)}"
    description = "\n".join(
        part
        for part in (truncate(escape(topic.summary.strip()), SUMMARY_LIMIT), scope_note(topic.guild_id))
        if part
    )
    footer = join_footer(
        plural(b.event_count, "event"),
        f"{hints.timeline(topic.slug)} for all",
        hints.menu("sources"),
    )
    room = limits.EMBED_TOTAL - len(title) - len(description) - limits.FOOTER_BUDGET

    event_lines = [_event_line(e) for e in b.latest_events]
    events_text = fit_lines(event_lines, min(EVENTS_LIMIT, limits.FIELD_VALUE)) or "No events recorded yet."
    events = FieldSpec(EVENTS_NAME, events_text)

    stance_lines = [_stance_line(p) for p in b.positions]
    stance_room = room - events.size - 5 * (len(STANCES_NAME) + len(" (cont.)"))
    stances_text = fit_lines(stance_lines, stance_room, more=lambda n: f"… and {n} more actors")
    stances = section(STANCES_NAME, stances_text.split("\n"), empty="No recorded positions yet.")
    if not b.positions:
        stances = [FieldSpec(STANCES_NAME, "No recorded positions yet.")]
    return make_embed(
        title=title, description=description, colour=NEUTRAL, fields=[*stances, events], footer=footer
    )


def _stance_line(p: Position) -> str:
    """`🟡 **Russia** ⚠️ — Conditional: <gist> (18 Mar 2025)`: the flag by the name when disputed."""
    line = f"{STANCE_MARKER[p.stance]} **{inline(p.actor.name, 80)}**"
    line += flags_after(p)
    line += f" — {STANCE_LABEL[p.stance]}: {gist(p)} ({p.stated.human()})"
    if note := scope_note(p.guild_id):
        line += f" · {note}"
    return _with_correction(line, p)


def _event_line(e: Event) -> str:
    """`📅 17 Mar 2025 — ⚠️ Title`: the flag first when disputed."""
    line = f"📅 {e.date.human()} — {flags_before(e)}{inline(e.title, 100)}"
    return _with_correction(line, e)


def _with_correction(line: str, entry: Position | Event) -> str:
    """The line, and under it a disputed entry's correction (whole, or cut at a sentence end)."""
    if entry.status is not Status.DISPUTED or not entry.status_note.strip():
        return line
    return f"{line}\n{disputed_banner(entry, CORRECTION_LIMIT)}"
