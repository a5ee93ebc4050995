"""Spreading fields over as many embeds (pages) as needed, each within Discord's limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import discord

from bot.render import limits
from bot.render.budget import pack_lines
from bot.render.text import truncate

_COUNT = re.compile(r" \(\d+\)$")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One embed field before it is placed on a page."""

    name: str
    value: str
    inline: bool = False

    @property
    def size(self) -> int:
        """Characters this field counts towards the embed total."""
        return len(self.name) + len(self.value)


def section(name: str, lines: Sequence[str], *, empty: str = "—") -> list[FieldSpec]:
    """Fields holding every line under `name`, continued as `name (cont.)` when one value is full.

    A trailing count such as `Sources (30)` is dropped from the continuation names.
    """
    chunks = pack_lines(lines, limits.FIELD_VALUE) or [empty]
    title = truncate(name, limits.FIELD_NAME)
    more = truncate(_COUNT.sub("", title), limits.FIELD_NAME - len(" (cont.)")) + " (cont.)"
    return [FieldSpec(title if i == 0 else more, chunk) for i, chunk in enumerate(chunks)]


def make_embed(
    *,
    title: str,
    description: str = "",
    colour: discord.Colour,
    fields: Sequence[FieldSpec] = (),
    footer: str = "",
) -> discord.Embed:
    """An embed with every part clipped to its own limit (callers keep the total in budget)."""
    embed = discord.Embed(
        title=truncate(title, limits.TITLE) or None,
        description=truncate(description, limits.DESCRIPTION) or None,
        colour=colour,
    )
    for spec in fields[: limits.FIELDS]:
        embed.add_field(
            name=truncate(spec.name, limits.FIELD_NAME) or "\u200b",
            value=truncate(spec.value, limits.FIELD_VALUE) or "\u200b",
            inline=spec.inline,
        )
    if footer:
        embed.set_footer(text=truncate(footer, limits.FOOTER_BUDGET))
    return embed


def paginate(
    *,
    title: str,
    description: str,
    fields: Sequence[FieldSpec],
    colour: discord.Colour,
    footer: Callable[[int, int], str],
    max_fields: int = limits.FIELDS,
    later_description: str = "",
) -> list[discord.Embed]:
    """Place `fields` in order on as many pages as needed; `footer(number, count)` labels each page.

    The first page carries `description`, later ones `later_description`; no field is dropped.
    """
    title = truncate(title, limits.TITLE)
    description = truncate(description, limits.DESCRIPTION)
    later_description = truncate(later_description, limits.DESCRIPTION)
    pages: list[list[FieldSpec]] = [[]]
    used = len(title) + len(description) + limits.FOOTER_BUDGET
    for spec in map(_clipped, fields):
        page = pages[-1]
        if page and (len(page) >= max_fields or used + spec.size > limits.EMBED_TOTAL):
            pages.append([])
            used = len(title) + len(later_description) + limits.FOOTER_BUDGET
        pages[-1].append(spec)
        used += spec.size
    count = len(pages)
    return [
        make_embed(
            title=title,
            description=description if number == 0 else later_description,
            colour=colour,
            fields=page,
            footer=footer(number + 1, count),
        )
        for number, page in enumerate(pages)
    ]


def _clipped(spec: FieldSpec) -> FieldSpec:
    return FieldSpec(
        truncate(spec.name, limits.FIELD_NAME), truncate(spec.value, limits.FIELD_VALUE), spec.inline
    )


def page_label(number: int, count: int) -> str:
    """`Page 2/5`, or nothing when there is only one page."""
    return f"Page {number}/{count}" if count > 1 else ""


def join_footer(*parts: str) -> str:
    """Footer pieces joined with ` · `, empty pieces skipped."""
    return " · ".join(part for part in parts if part)
