"""Ids for new positions and events: readable Latin slugs from any script, allocated in the write.

Titles arrive in Ukrainian, Russian, German…: `anyascii` transliterates them ("Переговори в
Стамбулі" → "peregovori-v-stambuli"); when nothing Latin remains (emoji only, say) a random word
stands in. A server's entry always ends in a random suffix, so its id says nothing about which
ids other servers hold (a "-2" would reveal that another server recorded the same thing).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterator

from anyascii import anyascii

from bot.domain import ENTRY_ID_RE, GLOBAL_SCOPE

MAX_ID = 64
SUFFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud or retyped
SUFFIX_LENGTH = 5
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def normalise_digits(text: str) -> str:
    """Unicode decimal digits (Arabic-Indic ٢٠٢٥, Devanagari, full-width…) as ASCII digits."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)


def slug_words(text: str, *, words: int = 5, limit: int = 30) -> str:
    """The first `words` words of `text` as a lowercase ASCII slug (may be empty)."""
    letters = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in normalise_digits(text))
    latin = anyascii(letters).lower()
    parts = [p for p in _NON_SLUG.split(latin) if p][:words]
    return "-".join(parts)[:limit].strip("-")


def random_word(length: int = SUFFIX_LENGTH) -> str:
    """A short random token of lowercase letters and digits."""
    return "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(length))


def id_base(*parts: str) -> str:
    """`parts` (already slugs, some possibly empty) joined into an id stem that leaves room for a suffix."""
    stem = "-".join(p for p in parts if p)
    stem = _NON_SLUG.sub("-", stem.lower()).strip("-")
    return stem[: MAX_ID - SUFFIX_LENGTH - 4].strip("-") or "entry"


def candidates(base: str, scope: int) -> Iterator[str]:
    """Ids to try in order for a new entry: a global one reads `base`, `base-2`, …; a server's
    one always `base-<random>` (never revealing what other servers hold)."""
    if scope == GLOBAL_SCOPE:
        yield base
        for n in range(2, 1000):
            yield f"{base}-{n}"
    for _ in range(50):
        yield f"{base}-{random_word()}"


def is_valid(entry_id: str) -> bool:
    """Whether `entry_id` passes the dataset's id rule."""
    return bool(ENTRY_ID_RE.fullmatch(entry_id))
