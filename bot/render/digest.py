"""Digests: what changed, as one or more messages (each within Discord's limits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

import discord

from bot.digest.types import Change, DigestContent
from bot.render.pager import FieldSpec, join_footer, page_label, paginate, section
from bot.render.style import NEUTRAL
from bot.render.text import code, inline, link

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


def _when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")


@lru_cache(maxsize=CACHED_LINES)
def change_line(change: Change) -> str:
    """One digest item: marker, title, what changed, its id and its first source.

    Memoised: a change is a frozen value, and the digests of one window share most of theirs.
    """
    parts = [f"{KIND_MARKER[change.kind]} **{inline(change.title, 150)}**"]
    if change.detail:
        parts.append(inline(change.detail, 200))
    if change.disputed:
        parts.append("⚠️ disputed")
    parts.append(code(change.entry_id, 70))
    if change.source_url:
        parts.append(link("source", change.source_url))
    return " · ".join(parts)


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
        description = f"{len(changes)} change(s) in {inline(topics, 1500)}.\n{window}"
    return paginate(
        title="📰 Briefing digest",
        description=description,
        fields=change_fields(changes),
        colour=NEUTRAL,
        footer=lambda n, c: join_footer(page_label(n, c), "/entry id:<id> for sources and history"),
    )


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
