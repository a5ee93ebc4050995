"""Browsing what exists: `actors_pages` and `topics_pages`."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain import Actor, Topic
from bot.render import hints
from bot.render.budget import pack_lines
from bot.render.pager import join_footer, make_embed, page_label
from bot.render.parts import scope_note
from bot.render.style import EMPTY, KIND_LABEL, NEUTRAL
from bot.render.text import code, escape, inline, one_line, truncate

LINES_PER_PAGE = 15
PAGE_TEXT_LIMIT = 4000


def actors_pages(actors: Sequence[Actor]) -> list[discord.Embed]:
    """Every actor, one line each (name, slug, kind, aliases), a page at a time."""
    return _line_pages(
        "👥 Actors",
        [_actor_line(a) for a in actors],
        noun=("actor", "actors"),
        hint=f"{hints.positions()} to see where one stands",
        empty="No actors recorded yet.",
    )


def topics_pages(topics: Sequence[Topic]) -> list[discord.Embed]:
    """Every topic, with its slug and the start of its summary, a page at a time."""
    return _line_pages(
        "🧭 Topics",
        [_topic_line(t) for t in topics],
        noun=("topic", "topics"),
        hint=f"{hints.brief()} for a one-screen briefing",
        empty="No topics recorded yet.",
    )


def _actor_line(a: Actor) -> str:
    parts = [f"**{inline(a.name, 120)}** {code(a.slug, 40)}", KIND_LABEL[a.kind]]
    if a.aliases:
        parts.append("aka " + truncate(", ".join(inline(alias, 60) for alias in a.aliases), 150))
    parts.append(scope_note(a.guild_id))
    return " · ".join(part for part in parts if part)


def _topic_line(t: Topic) -> str:
    line = f"**{inline(t.title, 150)}** {code(t.slug, 40)}"
    if note := scope_note(t.guild_id):
        line += f" · {note}"
    if summary := one_line(t.summary):
        line += "\n" + truncate(escape(summary), 160)
    return line


def _line_pages(
    title: str, lines: Sequence[str], *, noun: tuple[str, str], hint: str, empty: str
) -> list[discord.Embed]:
    if not lines:
        return [make_embed(title=title, description=empty, colour=EMPTY)]
    chunks: list[str] = []
    for start in range(0, len(lines), LINES_PER_PAGE):
        chunks += pack_lines(lines[start : start + LINES_PER_PAGE], PAGE_TEXT_LIMIT)
    count = noun[0] if len(lines) == 1 else noun[1]
    return [
        make_embed(
            title=title,
            description=chunk,
            colour=NEUTRAL,
            footer=join_footer(page_label(n, len(chunks)), f"{len(lines)} {count}", hint),
        )
        for n, chunk in enumerate(chunks, start=1)
    ]
