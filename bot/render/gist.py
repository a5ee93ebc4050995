"""A position's gist: the curated sentence, or the summary's first sentence when none is curated yet."""

from __future__ import annotations

import re

from bot.domain import Position
from bot.render.text import escape, one_line, truncate

GIST_LIMIT = 120
"""Characters of a gist (the curated ones are validated to this length too)."""

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁІЇЄҐ\"“‘(«])")


def gist_text(p: Position) -> str:
    """The position in one plain sentence (unescaped): its gist, or its summary's first sentence cut at
    a word boundary — never empty while the summary is not."""
    if p.gist.strip():
        return one_line(p.gist)
    summary = one_line(p.summary)
    first = SENTENCE_END.split(summary, maxsplit=1)[0]
    return truncate(first, GIST_LIMIT)


def gist(p: Position) -> str:
    """`gist_text`, escaped for Discord markdown."""
    return escape(gist_text(p))
