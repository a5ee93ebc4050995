"""Discord's size limits for messages and embeds, and the budgets the renderer keeps within them."""

from __future__ import annotations

from typing import Final

TITLE: Final = 256
DESCRIPTION: Final = 4096
FIELDS: Final = 25
FIELD_NAME: Final = 256
FIELD_VALUE: Final = 1024
FOOTER: Final = 2048
AUTHOR: Final = 256
EMBED_TOTAL: Final = 6000
"""Characters across every embed of one message (title, description, fields, footer, author)."""
EMBEDS_PER_MESSAGE: Final = 10
CONTENT: Final = 2000

FOOTER_BUDGET: Final = 240
"""What the renderer allows its own footers: page numbers and a command hint."""
MAX_LINK_URL: Final = 512
"""Longer URLs are named but not linked, so one source can never crowd out the rest."""
