"""Ranked search results: `search_embed`."""

from __future__ import annotations

import re
from collections.abc import Sequence

import discord

from bot.db.search import MARK_END, MARK_START, PART_BREAK
from bot.domain import Actor, SearchHit, SearchResults, Status, Topic
from bot.render import hints, limits
from bot.render.blocks import budgeted_fields
from bot.render.pager import join_footer, make_embed
from bot.render.parts import assemble
from bot.render.style import (
    EMPTY,
    EVENT_KIND,
    NEUTRAL,
    POSITION_KIND,
    STANCE_LABEL,
    STANCE_MARKER,
    STATUS_LABEL,
)
from bot.render.text import ELLIPSIS, code, escape, inline, one_line, plural, truncate
from bot.render.trust import correction

EARLIER = "🕰️ earlier statement"
PART_SEPARATOR = " · "  # shown where a snippet runs from one part of an entry into the next

MAX_HITS_SHOWN = 10


def search_embed(
    query: str, found: SearchResults, *, topics: Sequence[Topic] = (), actors: Sequence[Actor] = ()
) -> discord.Embed:
    """Results in the store's order (best first, earlier statements after current ones) with kind,
    date, title and snippet (the ids are in the answer's menu); how many matched; a helpful note
    when nothing did. `topics` and `actors` (those the query names) get a line each pointing at
    their own answer."""
    title = f"🔎 Search: {inline(query, 200) or '(empty)'}"
    pointers = _pointers(topics, actors)
    if not found.hits:
        description = (
            f"Nothing matches {code(query, 120)}.\n"
            f"Try fewer or different words, an actor's or topic's name, or browse with {hints.TOPICS}."
        )
        return make_embed(title=title, description=description + pointers, colour=EMPTY)
    shown = found.hits[:MAX_HITS_SHOWN]
    description = _summary(query, found, shown) + pointers
    footer = join_footer(hints.menu("a result's sources and history"))
    budget = limits.EMBED_TOTAL - len(title) - len(description) - limits.FOOTER_BUDGET
    ranked = list(enumerate(shown, start=1))
    fields = budgeted_fields(ranked, _name, _value, budget)
    return make_embed(title=title, description=description, colour=NEUTRAL, fields=fields, footer=footer)


def _summary(query: str, found: SearchResults, shown: Sequence[SearchHit]) -> str:
    """`3 results for `x`, best first.`, or `10 of 30+ matches for `x`, best first; earlier
    statements after current ones.` (when some are shown) and a hint to narrow the search."""
    earlier = any(not hit.current for hit in shown)
    order = "best first; earlier statements after current ones" if earlier else "best first"
    if found.matches <= len(shown) and not found.more:
        return f"{plural(len(shown), 'result')} for {code(query, 120)}, {order}."
    count = f"{found.matches}+" if found.more else str(found.matches)
    return (
        f"{len(shown)} of {count} matches for {code(query, 120)}, {order}.\nAdd words to narrow the search."
    )


def _pointers(topics: Sequence[Topic], actors: Sequence[Actor]) -> str:
    """After a blank line, `📋 **Peace talks and ceasefire**: where each actor stands, `/brief
    topic:peace-talks`` per topic and an actor's positions per actor; empty without either."""
    lines = [
        f"📋 **{inline(t.title, 100)}**: where each actor stands, {code(hints.brief(t.slug))}" for t in topics
    ]
    lines += [f"🧭 **{inline(a.name, 100)}**: its positions, {code(hints.positions(a.slug))}" for a in actors]
    return "\n\n" + "\n".join(lines) if lines else ""


def _name(ranked: tuple[int, SearchHit]) -> str:
    """`1. 🔴 Russia — Opposes · Ukraine's NATO membership ⚠️` for a position, the title for an event."""
    rank, hit = ranked
    marker = " ⚠️" if hit.status is Status.DISPUTED else ""
    if hit.kind == "position" and hit.stance is not None:
        title = (
            f"{STANCE_MARKER[hit.stance]} {inline(hit.actor, 80)} — {STANCE_LABEL[hit.stance]}"
            f" · {inline(hit.topic, 100)}"
        )
    else:
        title = inline(hit.title, 180)
    return f"{rank}. {title}{marker}"


def _value(ranked: tuple[int, SearchHit], limit: int) -> str:
    _, hit = ranked
    kind = POSITION_KIND if hit.kind == "position" else EVENT_KIND
    pieces = [kind, f"📅 {hit.date.human()}", STATUS_LABEL[hit.status]]
    if hit.kind == "position" and not hit.current:
        pieces.append(EARLIER)
    meta = " · ".join(pieces)
    head = []
    if hit.status is Status.DISPUTED:
        # The correction before the snippet: whole, or cut at a sentence end with a pointer.
        head.append(correction(hit.correction, hit.entry_id, max(0, limit - len(meta) - 1)))
    room = limit - len(meta) - 1 - sum(len(h) + 1 for h in head)
    return assemble(limit, head, highlighted(hit.snippet, max(0, room)), [meta])


def part_breaks(snippet: str) -> str:
    """`…"rampant militarisation" · 5% target said…`: the snippet on one line, with a separator where
    it crosses from one part of the entry (summary, a key point, quote, speaker, note) into the next."""
    parts = (one_line(part) for part in snippet.split(PART_BREAK))
    return PART_SEPARATOR.join(part for part in parts if part)


_BETWEEN_MATCHES = re.compile(f"{MARK_END}([^\\w{MARK_START}{MARK_END}{PART_BREAK}]{{1,3}}){MARK_START}")
"""A match's end, at most three spaces or punctuation marks within one part, and the next match's start."""


def joined_matches(snippet: str) -> str:
    """`snippet` with matches that stand next to each other marked as one: the query "NATO 3.0"
    reads **NATO 3.0**, not **NATO** **3**.**0** (a bold space or dot between two matches)."""
    return _BETWEEN_MATCHES.sub(r"\1", snippet)


def highlighted(snippet: str, limit: int) -> str:
    """The snippet escaped, its marked matches **bold**, within `limit` characters.

    Shortened between pieces, never inside a bold span, so no `**` is ever left open.
    """
    pieces = part_breaks(joined_matches(snippet)).split(MARK_START)  # also collapses whitespace
    parts: list[tuple[str, bool]] = [(pieces[0], False)]
    for piece in pieces[1:]:
        match, _, rest = piece.partition(MARK_END)
        parts += [(match, True), (rest, False)]
    out = ""
    for text, bold in parts:
        text = text.replace(MARK_END, "")
        if not text:
            continue
        shown = f"**{escape(text)}**" if bold else escape(text)
        if len(out) + len(shown) <= limit - len(ELLIPSIS):
            out += shown
            continue
        room = limit - len(out) - len(ELLIPSIS)
        if not bold and room > 8:
            out += truncate(escape(text), room + len(ELLIPSIS))
        else:
            out += ELLIPSIS
        break
    return out
