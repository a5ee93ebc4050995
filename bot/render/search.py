"""Ranked search results: `search_embed`."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain import SearchHit, Status
from bot.render import hints, limits
from bot.render.blocks import budgeted_fields
from bot.render.pager import join_footer, make_embed
from bot.render.parts import assemble, entry_id
from bot.render.style import EMPTY, EVENT_KIND, NEUTRAL, POSITION_KIND, STATUS_LABEL
from bot.render.text import code, escape, inline, one_line, plural
from bot.render.trust import correction

MAX_HITS_SHOWN = 10


def search_embed(query: str, hits: Sequence[SearchHit]) -> discord.Embed:
    """Results in rank order with kind, date, title, snippet and id; a helpful note when nothing matched."""
    title = f"🔎 Search: {inline(query, 200) or '(empty)'}"
    if not hits:
        description = (
            f"Nothing matches {code(query, 120)}.\n"
            f"Try fewer or different words, an actor's or topic's name, or browse with {hints.TOPICS}."
        )
        return make_embed(title=title, description=description, colour=EMPTY)
    shown = hits[:MAX_HITS_SHOWN]
    description = f"{plural(len(hits), 'result')} for {code(query, 120)}, best first."
    if len(hits) > len(shown):
        description += f"\n… and {len(hits) - len(shown)} more — add words to narrow the search."
    footer = join_footer(f"{hints.entry()} to open a result")
    budget = limits.EMBED_TOTAL - len(title) - len(description) - limits.FOOTER_BUDGET
    ranked = list(enumerate(shown, start=1))
    fields = budgeted_fields(ranked, _name, _value, budget)
    return make_embed(title=title, description=description, colour=NEUTRAL, fields=fields, footer=footer)


def _name(ranked: tuple[int, SearchHit]) -> str:
    rank, hit = ranked
    marker = " ⚠️" if hit.status is Status.DISPUTED else ""
    return f"{rank}. {inline(hit.title, 180)}{marker}"


def _value(ranked: tuple[int, SearchHit], limit: int) -> str:
    _, hit = ranked
    kind = POSITION_KIND if hit.kind == "position" else EVENT_KIND
    meta = f"{kind} · 📅 {hit.date.human()} · {STATUS_LABEL[hit.status]} · {entry_id(hit.entry_id)}"
    head = []
    if hit.status is Status.DISPUTED:
        # The correction before the snippet: whole, or cut at a sentence end with a pointer.
        head.append(correction(hit.correction, hit.entry_id, max(0, limit - len(meta) - 1)))
    return assemble(limit, head, escape(one_line(hit.snippet)), [meta])
