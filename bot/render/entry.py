"""One entry in full: `entry_pages` (summary, key points, quote, every source, history, revisions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date
from itertools import pairwise

import discord

from bot.domain import EntryDetail, Event, Position, Revision, Status
from bot.render import limits
from bot.render.gist import gist
from bot.render.pager import FieldSpec, join_footer, page_label, paginate, section
from bot.render.parts import (
    NO_SOURCE,
    actor_names,
    entry_id,
    markers,
    meta_line,
    source_line,
)
from bot.render.style import DISPUTED, EVENT_KIND, NEUTRAL, STANCE_MARKER, stance_colour, stance_text
from bot.render.text import cut_point, escape, inline, one_line, split_text, truncate
from bot.render.trust import caveat_lines, disputed_banner, role_groups

DESCRIPTION_LIMIT = 3800
CORRECTION_LIMIT = 3000
"""The correction is whole up to here: any note the data files allow (500 characters, ~1000 escaped) fits."""
HISTORY_SUMMARY = 200
CHANGE_VALUE = 60


def entry_pages(detail: EntryDetail) -> list[discord.Embed]:
    """Every part of one entry, continued over further pages when it does not fit on one."""
    entry = detail.entry
    if isinstance(entry, Position):
        title = f"{STANCE_MARKER[entry.stance]} {inline(entry.actor.name, 110)} on {inline(entry.topic.title, 120)}"
        head = [
            disputed_banner(entry, CORRECTION_LIMIT),
            f"**{stance_text(entry.stance)}**",
            f"_{gist(entry)}_" if entry.gist.strip() else "",
        ]
        tail = [meta_line(entry), *caveat_lines(entry)]
        colour = stance_colour(entry.stance, entry.status)
    else:
        title = f"🗓️ {entry.date.human()} — {inline(entry.title, 220)}"
        head = [disputed_banner(entry, CORRECTION_LIMIT), f"{EVENT_KIND} · {meta_line(entry)}"]
        head.append(actor_names(entry.actors, 300))
        head.append(_topic_names(entry))
        colour = DISPUTED if entry.status is Status.DISPUTED else NEUTRAL
        tail = caveat_lines(entry)  # what happened first, then how far to trust the account
    head_text = "\n".join(line for line in head if line)
    tail_text = "\n".join(line for line in tail if line)
    description, rest = _fill_description(head_text, escape(entry.summary.strip()))
    fields = [FieldSpec("Summary (cont.)", piece) for piece in rest]
    if tail_text:  # stance → gist → summary → metadata and caveats (an event: the caveats)
        if not rest and len(description) + len(tail_text) + 2 <= DESCRIPTION_LIMIT:
            description = f"{description}\n\n{tail_text}"
        else:
            fields.append(FieldSpec("Details", tail_text))
    if isinstance(entry, Position):
        fields += _position_fields(entry, detail.history)
    fields += _source_fields(entry)
    if detail.revisions:
        revisions = [_revision_line(r) for r in detail.revisions]
        fields += section(f"Revisions ({len(detail.revisions)})", revisions)
    return paginate(
        title=title,
        description=description,
        later_description=f"{entry_id(entry.id)} continued",
        fields=fields,
        colour=colour,
        footer=lambda n, count: join_footer(page_label(n, count), f"id: {truncate(one_line(entry.id), 70)}"),
    )


def _source_fields(entry: Position | Event) -> list[FieldSpec]:
    """Every source with its tier badge; a disputed entry's apart as "Claimed in" and "Settled by"."""
    groups = role_groups(entry.sources)
    if not groups:
        return section("Sources (0)", [NO_SOURCE])
    fields: list[FieldSpec] = []
    for name, items in groups:
        fields += section(f"{name} ({len(items)})", [source_line(n, s) for n, s in items])
    return fields


def _fill_description(head: str, summary: str) -> tuple[str, list[str]]:
    """The header plus as much of the summary as fits the description; the rest, in field-sized pieces."""
    if not summary:
        return head, []
    room = DESCRIPTION_LIMIT - len(head) - 2
    cut = cut_point(summary, room) or room
    first = summary[:cut].rstrip()
    return f"{head}\n\n{first}", split_text(summary[cut:], limits.FIELD_VALUE)


def _position_fields(p: Position, history: Sequence[Position]) -> list[FieldSpec]:
    fields: list[FieldSpec] = []
    if p.key_points:
        fields += section("Key points", [f"• {escape(one_line(point))}" for point in p.key_points])
    if p.quote.strip():
        quote = split_text(escape(one_line(p.quote)), limits.FIELD_VALUE - 40)
        speaker = f"— {inline(p.speaker, 200)}" if p.speaker.strip() else ""
        lines = [f"> “{piece}”" if len(quote) == 1 else f"> {piece}" for piece in quote]
        fields += section("Quote", [*lines, speaker] if speaker else lines)
    if changes := stance_changes([*history, p] if all(h.id != p.id for h in history) else history):
        fields += section("Stance changes", changes)
    # An old statement opened from a menu has newer ones too: they come first, under their own heading.
    others = [h for h in history if h.id != p.id]
    later = [h for h in others if _order(h) > _order(p)]
    earlier = [h for h in others if _order(h) < _order(p)]
    if later:
        fields += section(f"Later statements ({len(later)})", [_history_line(h) for h in later])
    if earlier:
        fields += section(f"Earlier statements ({len(earlier)})", [_history_line(h) for h in earlier])
    return fields


def _order(p: Position) -> tuple[date, bool, str]:
    """A statement's place in its actor's history on a topic: by date; on the same day the current
    one last (the store knows which came later), then by id."""
    return (p.stated.value, p.current, p.id)


def stance_changes(statements: Sequence[Position]) -> list[str]:
    """`🟢 Supports → 🔴 Opposes, 12 Feb 2025` for each statement whose stance differs from the one
    before it (oldest first)."""
    ordered = sorted(statements, key=_order)
    return [
        f"{stance_text(old.stance)} → {stance_text(new.stance)}, {new.stated.human()}"
        for old, new in pairwise(ordered)
        if old.stance is not new.stance
    ]


def _history_line(h: Position) -> str:
    """`🟡 Conditional · 3 Feb 2024 · `id` · 🕰️ superseded` and a short summary."""
    status = ["⚠️ disputed"] if h.status is Status.DISPUTED else []
    head = " · ".join([stance_text(h.stance), h.stated.human(), entry_id(h.id), *status, *markers(h)])
    if h.current:
        head += " · current"
    summary = truncate(escape(one_line(h.summary)), HISTORY_SUMMARY)
    return f"{head}\n{summary}" if summary else head


def _revision_line(r: Revision) -> str:
    """`• <t:…:f> · <@id> · edited: status reported → verified · reason: …`."""
    at = r.at.astimezone(UTC) if r.at.tzinfo else r.at
    # A Discord timestamp: each reader sees it in their own time zone and date style.
    line = f"• <t:{int(at.timestamp())}:f> · <@{r.user_id}> · **{inline(r.action, 40)}**"
    if r.changes:
        line += ": " + "; ".join(_change(name, old, new) for name, (old, new) in r.changes.items())
    if r.reason.strip():
        line += f" · reason: {inline(r.reason, 200)}"
    return truncate(line, 900)


def _change(name: str, old: object, new: object) -> str:
    old_text, new_text = (truncate(one_line(str(v)), CHANGE_VALUE) for v in (old, new))
    if old is None or old_text == "":
        return f"{inline(name, 40)} set to {escape(new_text)}"
    return f"{inline(name, 40)}: {escape(old_text)} → {escape(new_text)}"


def _topic_names(e: Event) -> str:
    if not e.topics:
        return ""
    return "🧭 " + truncate(", ".join(inline(t.title, 80) for t in e.topics), 300)
