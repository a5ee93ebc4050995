"""Checking embeds against every Discord limit: used by tests and as a guard before sending."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.render import limits


def _length(label: str, text: str | None, limit: int) -> list[str]:
    size = len(text or "")
    return [f"{label} is {size} characters (limit {limit})"] if size > limit else []


def embed_problems(embed: discord.Embed) -> list[str]:
    """Every Discord limit this one embed breaks; empty when it can be sent."""
    problems = _length("title", embed.title, limits.TITLE)
    problems += _length("description", embed.description, limits.DESCRIPTION)
    if len(embed.fields) > limits.FIELDS:
        problems.append(f"{len(embed.fields)} fields (limit {limits.FIELDS})")
    for number, field in enumerate(embed.fields, start=1):
        for part, text, limit in (
            ("name", field.name, limits.FIELD_NAME),
            ("value", field.value, limits.FIELD_VALUE),
        ):
            if not (text or "").strip():
                problems.append(f"field {number} {part} is empty")
            problems += _length(f"field {number} {part}", text, limit)
    problems += _length("footer", embed.footer.text, limits.FOOTER)
    problems += _length("author", embed.author.name, limits.AUTHOR)
    if len(embed) > limits.EMBED_TOTAL:
        problems.append(f"embed totals {len(embed)} characters (limit {limits.EMBED_TOTAL})")
    return problems


def message_problems(embeds: Sequence[discord.Embed]) -> list[str]:
    """Every limit broken by sending all `embeds` in one message (each embed, their count and total)."""
    problems = [f"embed {n}: {p}" for n, embed in enumerate(embeds, start=1) for p in embed_problems(embed)]
    if len(embeds) > limits.EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds in one message (limit {limits.EMBEDS_PER_MESSAGE})")
    total = sum(len(embed) for embed in embeds)
    if len(embeds) > 1 and total > limits.EMBED_TOTAL:
        problems.append(f"embeds total {total} characters (limit {limits.EMBED_TOTAL})")
    return problems


def pages_problems(pages: Sequence[discord.Embed]) -> list[str]:
    """Every limit broken by any page, where each page is sent (or edited in) on its own."""
    return [f"page {n}: {p}" for n, page in enumerate(pages, start=1) for p in embed_problems(page)]
