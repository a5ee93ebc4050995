"""Pieces shared by the views: sources, status, dates, ids and the assembly of one entry's block."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import GLOBAL_SCOPE, Actor, Event, Position, Source
from bot.render.budget import fit_lines
from bot.render.style import REMOVED, SERVER_NOTE, STATUS_LABEL, SUPERSEDED
from bot.render.text import code, inline, link, truncate
from bot.render.trust import publisher_link, strongest_first, tier_badge

ID_LIMIT = 70
MIN_BODY = 24
NO_SOURCE = "⚠️ no source recorded"


def entry_id(value: str) -> str:
    """An entry id as inline code, ready to paste into `/entry id:`."""
    return code(value, ID_LIMIT)


def scope_note(guild_id: int) -> str:
    """`🏠 server note` for entries only this server sees; nothing for global ones."""
    return "" if guild_id == GLOBAL_SCOPE else SERVER_NOTE


def markers(entry: Position | Event) -> list[str]:
    """Scope, superseded and removed markers for an entry, in that order."""
    out = [scope_note(entry.guild_id)]
    if isinstance(entry, Position) and not entry.current:
        out.append(SUPERSEDED)
    if entry.removed:
        out.append(REMOVED)
    return [m for m in out if m]


def meta_line(entry: Position | Event) -> str:
    """`📅 17 Mar 2025 · ✅ Verified`, plus any scope/superseded/removed markers (no id: lists open
    entries from their "Open an entry…" menu; /entry's footer holds the id)."""
    when = entry.stated if isinstance(entry, Position) else entry.date
    pieces = [f"📅 {when.human()}", STATUS_LABEL[entry.status], *markers(entry)]
    return " · ".join(pieces)


def source_link(source: Source, limit: int = 200) -> str:
    """`[Publisher](url)`, or `[Publisher](url) (via Agency)` for a copy of an agency's report;
    the label is shortened first so the link survives a tight budget."""
    label = source.publisher or source.title
    via = f" (via {inline(source.via, 40)})" if source.via.strip() else ""
    room = limit - len(via)
    text = link(label, source.url)
    if len(text) > room:
        text = link(label, source.url, label_limit=max(8, 80 - (len(text) - room)))
    if len(text) > room:
        text = f"{inline(label or 'source', max(8, room - 20))} (link in /entry)"
    return truncate(text + via, limit)


def source_links(sources: Sequence[Source], limit: int) -> str:
    """Compact source links joined by ` · `, strongest tier first, ending `… and N more` when they
    do not all fit."""
    if not sources:
        return NO_SOURCE
    prefix = "🔗 "
    room = limit - len(prefix)
    links = [source_link(s, max(24, room - 16)) for s in strongest_first(sources)]
    return prefix + fit_lines(links, room, sep=" · ")


def source_line(number: int, source: Source) -> str:
    """One source in full: `1. 🏛️ official · [Publisher](url) (via Agency) — “Title” · 17 Mar 2025`."""
    text = f"{number}\\. {tier_badge(source)} · {publisher_link(source)}"
    if source.title and source.publisher:
        text += f" — “{inline(source.title, 300)}”"
    if source.published is not None:
        text += f" · {source.published.human()}"
    return text


def actor_names(actors: Sequence[Actor], limit: int) -> str:
    """`👥 Russia, Ukraine` within `limit` characters (`… and N more` if needed)."""
    if not actors:
        return ""
    names = [inline(a.name, 80) for a in actors]
    return "👥 " + fit_lines(names, limit - 2, sep=", ")


def assemble(limit: int, head: Sequence[str], body: str, tail: Sequence[str]) -> str:
    """Lines `head`, then `body` shortened to whatever room is left, then `tail`, within `limit`."""
    head = [line for line in head if line]
    tail = [line for line in tail if line]
    fixed = sum(len(line) + 1 for line in (*head, *tail))
    room = limit - fixed
    lines = list(head)
    if body and (len(body) <= room or room >= MIN_BODY):
        lines.append(truncate(body, room))
    elif body:
        lines.append("…")
    lines.extend(tail)
    return truncate("\n".join(lines), limit)
