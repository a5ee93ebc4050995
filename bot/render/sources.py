"""Sources and drafts as Discord shows them: the source list, a draft as it would be published."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.render.style import NEUTRAL
from bot.sources.types import Draft, SourceInfo


def _esc(text: str) -> str:
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def _when(value: datetime | None) -> str:
    return discord.utils.format_dt(value, "R") if value is not None else "never"


def source_list_embed(sources: Sequence[SourceInfo]) -> discord.Embed:
    """Every source: label, URL, last fetch, last new item, drafts waiting, last error, next fetch."""
    embed = discord.Embed(title="Watched sources", colour=NEUTRAL)
    if not sources:
        embed.description = "No sources yet: `/admin source-add url:…` watches a feed."
        return embed
    for s in sources[:25]:
        state = "" if s.active else " (paused)"
        scope = " · global" if s.guild_id == 0 else ""
        lines = [
            _esc(s.url)[:300],
            f"Last fetch {_when(s.last_fetch_at)} · last new item {_when(s.last_new_item_at)}",
            f"Drafts waiting: {s.waiting} · next fetch {_when(s.next_due_at) if s.active else 'paused'}",
        ]
        if s.last_error:
            lines.append(f"Last error ({s.failures}×): {_esc(s.last_error)[:200]}")
        if s.skipped:
            lines.append(
                "Skipped: " + ", ".join(f"{_esc(k)} ×{v}" for k, v in sorted(s.skipped.items()))[:200]
            )
        embed.add_field(
            name=f"#{s.id} {_esc(s.label)}{state}{scope}"[:256], value="\n".join(lines)[:1024], inline=False
        )
    if len(sources) > 25:
        embed.set_footer(text=f"{len(sources) - 25} more not shown")
    return embed


def draft_embed(draft: Draft, waiting: int, note: str = "") -> discord.Embed:
    """A draft rendered like the event it would become, with its suggestions marked as such."""
    embed = discord.Embed(
        title=_esc(draft.title)[:256] or "(no title)",
        description=_esc(draft.summary)[:3500] or None,
        colour=NEUTRAL,
        url=draft.link or None,
    )
    embed.add_field(name="Date", value=draft.date or "?", inline=True)
    embed.add_field(
        name="Topic (suggested)", value=f"`{draft.topic}`" if draft.topic else "none: use Edit", inline=True
    )
    embed.add_field(
        name="Actors (suggested)",
        value=", ".join(f"`{a}`" for a in draft.actors)[:1024] if draft.actors else "none",
        inline=True,
    )
    sources = ", ".join(_esc(s) for s in draft.source_labels) or "added from a message"
    embed.add_field(name="From", value=sources[:1024], inline=False)
    footer = f"Draft {draft.id}{' (global)' if draft.guild_id == 0 else ''} · {waiting} waiting"
    embed.set_footer(text=(f"{note} · " if note else "") + footer)
    return embed
