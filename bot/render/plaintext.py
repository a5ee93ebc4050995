"""Plain text of exactly what an embed shows, for `python -m bot preview` and for reading in tests."""

from __future__ import annotations

import re
from collections.abc import Sequence

import discord

from bot.render.choices import MENU_PLACEHOLDER
from bot.render.text import ZWSP

_LINK = re.compile(r"\[((?:\\.|[^\]\\\n])*)\]\(([^()\s]*)\)")
_ESCAPE = re.compile(r"\\([^\w\s])")
RULE = "─" * 40


def markdown_to_text(text: str) -> str:
    """Masked links become `label <url>`, backslash escapes and zero-width spaces are dropped."""
    text = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(2)}>", text)
    return _ESCAPE.sub(r"\1", text).replace(ZWSP, "")


def embed_to_text(embed: discord.Embed) -> str:
    """The embed's author, title, description, fields and footer as plain text, in display order."""
    blocks: list[str] = []
    if embed.author.name:
        blocks.append(embed.author.name)
    if embed.title:
        title = markdown_to_text(embed.title)
        blocks.append(f"{title}\n{'═' * min(len(title), 60)}")
    if embed.description:
        blocks.append(markdown_to_text(embed.description))
    for field in embed.fields:
        name = markdown_to_text(field.name or "")
        blocks.append(f"▸ {name}\n{markdown_to_text(field.value or '')}")
    if embed.footer.text:
        blocks.append(f"— {embed.footer.text}")
    return "\n\n".join(blocks)


def pages_to_text(pages: Sequence[discord.Embed], menus: Sequence[Sequence[tuple[str, str]]] = ()) -> str:
    """Every page's text, separated by a rule; under a page, its "Open an entry…" menu's options."""
    texts = []
    for i, page in enumerate(pages):
        text = embed_to_text(page)
        if i < len(menus) and menus[i]:
            text += menu_text(MENU_PLACEHOLDER, [f"{label}  →  {entry_id}" for entry_id, label in menus[i]])
        texts.append(text)
    return f"\n{RULE}\n".join(texts)


def menu_text(placeholder: str, options: Sequence[str]) -> str:
    """A select menu under a message, as text: its placeholder, then one line per option."""
    lines = "\n".join(f"  • {option}" for option in options)
    return f"\n\n[{placeholder} ▾]\n{lines}"
