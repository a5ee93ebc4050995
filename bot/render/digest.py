"""Digests: what changed, as one or more messages (each within Discord's limits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

import discord

from bot.digest_model.types import Change, DigestContent
from bot.domain import Stance, Status
from bot.render import hints
from bot.render.gist import SENTENCE_END
from bot.render.pager import FieldSpec, join_footer, page_label, paginate, section
from bot.render.style import NEUTRAL, STATUS_LABEL, stance_text
from bot.render.text import escape, inline, link, one_line, plural, truncate

KIND_MARKER = {"new": "🆕", "updated": "✏️", "corrected": "⚠️", "removed": "🗑️", "restored": "♻️"}
KIND_HEADING = {
    "new": "New",
    "updated": "Changed",
    "corrected": "Corrections",
    "removed": "Withdrawn",
    "restored": "Restored",
}
CACHED_LINES = 4096  # rendered items kept (about two busy windows' worth)
CACHED_DIGESTS = 64  # item lists kept as fields


FIELD_WORDS = {
    "summary": "summary",
    "key_points": "key points",
    "quote": "quote",
    "speaker": "speaker",
    "sources": "sources",
    "date": "date",
    "title": "title",
    "actors": "actors",
    "topics": "topics",
    "gist": "gist",
    "status_note": "correction",
    "verification": "confirmation note",
}
"""How a digest names what was revised (never the data files' field names)."""
GIST_ROOM = 160
CORRECTION_ROOM = 300


def _when(at: datetime) -> str:
    """A Discord timestamp: each reader sees it in their own time zone."""
    return f"<t:{int(at.timestamp())}:f>"


def _stance(value: str) -> str:
    try:
        return stance_text(Stance(value))
    except ValueError:
        return inline(value, 20)


def _gist(change: Change) -> str:
    first = SENTENCE_END.split(one_line(change.gist), maxsplit=1)[0]
    return truncate(escape(first), GIST_ROOM)


def _said(change: Change) -> list[str]:
    """What changed, in words: `🔴 Opposes → 🟡 Conditional: <gist>`, `now ⚠️ disputed: …`."""
    if change.entry_kind == "event" and change.kind == "new":
        return [f"📅 {inline(change.date.human(), 40)}"] if change.date else []
    if change.entry_kind == "position" and change.kind == "new":
        previous, stance = change.previous_stance, change.stance
        said = (
            f"{_stance(previous)} → {_stance(stance)}" if previous and previous != stance else _stance(stance)
        )
        if change.gist.strip():
            said += f": {_gist(change)}"
        return [f"{said} ({inline(change.date.human(), 30)})" if change.date else said]
    out: list[str] = []
    revised: list[str] = []
    for fc in change.fields:
        if fc.field == "stance":
            if fc.old and fc.new:
                said = f"{_stance(fc.old)} → {_stance(fc.new)}"
                out.append(f"{said}: {_gist(change)}" if change.gist.strip() else said)
        elif fc.field == "status":
            new = fc.new or ""
            if new != "disputed":
                out.append(f"now {STATUS_LABEL.get(_status(new), inline(new, 20))}")
        elif fc.field == "status_note" and change.disputed:
            continue  # said below, with the correction itself
        else:
            revised.append(FIELD_WORDS.get(fc.field, fc.field.replace("_", " ")))
    if change.disputed and (
        change.kind == "corrected" or any(fc.field == "status_note" for fc in change.fields)
    ):
        note = truncate(escape(one_line(change.correction)), CORRECTION_ROOM)
        out.append(f"now ⚠️ disputed: {note}" if note else "now ⚠️ disputed")
    if revised and change.kind != "removed":
        out.append(
            " and ".join([", ".join(revised[:-1]), revised[-1]] if len(revised) > 1 else revised) + " revised"
        )
    if change.kind == "removed":
        out.append("withdrawn")
    return out


def _status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        return Status.REPORTED


@lru_cache(maxsize=CACHED_LINES)
def change_line(change: Change) -> str:
    """One digest item for members: the title as its source link, then what changed in words.

    No entry id (the "Open an entry…" menu under the digest opens one) and no field names.
    Memoised: a change is a frozen value, and the digests of one window share most of theirs.
    """
    title = (
        link(change.title, change.source_url, label_limit=150)
        if change.source_url
        else f"**{inline(change.title, 150)}**"
    )
    flag = "⚠️ " if change.disputed and change.kind != "corrected" else ""  # "corrected" is already ⚠️
    parts = [f"{KIND_MARKER[change.kind]} {flag}{title}", *_said(change)]
    return " — ".join(parts[:2]) + "".join(f" · {p}" for p in parts[2:])


@lru_cache(maxsize=CACHED_DIGESTS)
def change_fields(changes: tuple[Change, ...]) -> tuple[FieldSpec, ...]:
    """The items as fields, one section per kind of change (new first).

    Memoised: digests of one window for every topic, or for the same topics, list the same changes.
    """
    by_kind: dict[str, list[str]] = {kind: [] for kind in KIND_HEADING}
    for c in changes:
        by_kind[c.kind].append(change_line(c))
    fields: list[FieldSpec] = []
    for kind, lines in by_kind.items():
        if lines:
            fields += section(f"{KIND_MARKER[kind]} {KIND_HEADING[kind]} ({len(lines)})", lines)
    return tuple(fields)


def digest_pages(content: DigestContent) -> list[discord.Embed]:
    """The digest as embeds, one per message, grouped by kind of change (new first)."""
    changes = content.changes
    topics = ", ".join(content.topic_titles) if content.topic_titles else "all topics"
    window = f"{_when(content.covered_from)} → {_when(content.covered_until)}"
    if not changes:
        description = f"No changes in {inline(topics, 1500)} since {_when(content.covered_from)}."
    else:
        description = f"{plural(len(changes), 'change')} in {inline(topics, 1500)}.\n{window}"
    return paginate(
        title="📰 Briefing digest",
        description=description,
        fields=change_fields(changes),
        colour=NEUTRAL,
        footer=lambda n, c: join_footer(page_label(n, c), hints.menu("sources and history")),
    )


def digest_choices(content: DigestContent) -> tuple[tuple[str, str], ...]:
    """The "Open an entry…" menu's (id, label) for a digest's items (at most 25, in order)."""
    seen: dict[str, str] = {}
    for c in content.changes:
        if len(seen) == 25:
            break
        if c.kind == "removed":
            continue  # withdrawn: members can no longer open it
        flag = "⚠️ " if c.disputed and c.kind != "corrected" else ""
        seen.setdefault(c.entry_id, truncate(one_line(f"{KIND_MARKER[c.kind]} {flag}{c.title}"), 100))
    return tuple(seen.items())[:25]


def subscription_line(
    sub_id: int,
    channel_id: int,
    topics: Sequence[str],
    schedule: str,
    next_due: datetime | None,
    problem: str,
) -> str:
    """One `/digest list` row: id, channel, topics, schedule, next due time and any problem."""
    topic_text = ", ".join(topics) if topics else "all topics"
    due = f"next <t:{int(next_due.timestamp())}:f>" if next_due else "paused"
    line = f"**#{sub_id}** → <#{channel_id}> · {inline(topic_text, 200)} · {schedule} · {due}"
    if problem:
        line += f"\n  ⚠️ {inline(problem, 300)}"
    return line


def subscriptions_embed(lines: Sequence[str]) -> discord.Embed:
    """`/digest list` as one embed (pages if a server has many)."""
    pages = paginate(
        title="Digest subscriptions",
        description="" if lines else "None yet: `/digest subscribe` adds one.",
        fields=section(f"Subscriptions ({len(lines)})", list(lines)) if lines else [],
        colour=NEUTRAL,
        footer=lambda n, c: join_footer(
            page_label(n, c), "/digest preview id:<id> shows what would be posted"
        ),
    )
    return pages[0]
