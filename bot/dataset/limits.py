"""Size limits of the curated data, shared by the loader and the admin commands.

The numbers keep any single entry renderable inside Discord's embed limits (title 256,
description 4096, field value 1024, 6000 per message); the renderer still pages long source
lists. Change them here only: the admin commands and the validator read them from this module.
"""

from __future__ import annotations

from typing import Final

# Actors and topics
MAX_SLUG: Final = 32
"""Actor/topic slugs and aliases (see `bot.domain.SLUG_RE`)."""
MAX_ENTRY_ID: Final = 64
"""Position and event ids (see `bot.domain.ENTRY_ID_RE`)."""
MAX_ACTOR_NAME: Final = 100
MAX_ALIASES: Final = 10
MAX_TOPIC_TITLE: Final = 100
MAX_TOPIC_SUMMARY: Final = 1000

# Positions and events
MAX_SUMMARY: Final = 1000
MAX_GIST: Final = 120
"""A position's gist: one plain sentence saying the position itself (one line in /brief)."""
MAX_KEY_POINTS: Final = 10
MAX_KEY_POINT: Final = 200
MAX_QUOTE: Final = 500
MAX_SPEAKER: Final = 100
MAX_STATUS_NOTE: Final = 500
MAX_EVENT_TITLE: Final = 200
MAX_EVENT_ACTORS: Final = 20
MAX_EVENT_TOPICS: Final = 10
MIN_EVENT_TOPICS: Final = 1

# Sources
MIN_SOURCES: Final = 1
MAX_SOURCES: Final = 30
MAX_URL: Final = 500
MAX_PUBLISHER: Final = 100
MAX_SOURCE_TITLE: Final = 200
URL_SCHEMES: Final = frozenset({"http", "https"})

# Whole documents (uploads and files in data/)
MAX_DOCUMENT_BYTES: Final = 2 * 1024 * 1024
"""Largest data file or upload read, in bytes of UTF-8."""
MAX_NESTING: Final = 16
"""Deepest nesting of mappings/lists a document may have (the schema needs 5)."""
MAX_PROBLEMS: Final = 200
"""Problems reported per document before the rest are summarised in one line."""
MAX_SHOWN_VALUE: Final = 60
"""Characters of an offending value quoted back in a problem message."""
