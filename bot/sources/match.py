"""Keyword filters (include/exclude, case-insensitive whole words) and draft suggestions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache


def split_keywords(raw: str | None) -> tuple[str, ...]:
    """`"Sanctions, oil embargo"` → ("sanctions", "oil embargo"); blanks dropped, duplicates kept once."""
    seen: dict[str, None] = {}
    for part in (raw or "").split(","):
        word = " ".join(part.lower().split())
        if word:
            seen[word] = None
    return tuple(seen)


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def contains_phrase(text: str, phrase: str) -> bool:
    """True when `phrase` occurs in `text` as whole words, ignoring case."""
    return bool(phrase.strip()) and _pattern(" ".join(phrase.lower().split())).search(text) is not None


def passes_filters(text: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """An item passes when it contains one include keyword (if any are set) and no exclude keyword."""
    if include and not any(contains_phrase(text, k) for k in include):
        return False
    return not any(contains_phrase(text, k) for k in exclude)


@dataclass(frozen=True, slots=True)
class ActorHint:
    """An actor's slug and every name it goes by."""

    slug: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopicHint:
    """A topic's slug and the words that suggest it (its keywords, else its title)."""

    slug: str
    keywords: tuple[str, ...]


def suggest_actors(text: str, actors: Iterable[ActorHint], limit: int = 10) -> list[str]:
    """The slugs of actors whose name or an alias occurs in `text` (whole words), in text order."""
    found: list[tuple[int, str]] = []
    for actor in actors:
        positions = [
            m.start()
            for name in actor.names
            if len(name) >= 2
            for m in [_pattern(" ".join(name.lower().split())).search(text)]
            if m
        ]
        if positions:
            found.append((min(positions), actor.slug))
    return [slug for _, slug in sorted(found)[:limit]]


def suggest_topic(text: str, topics: Iterable[TopicHint]) -> str | None:
    """The topic whose keywords occur most often in `text`; None when none occurs."""
    best: tuple[int, str] | None = None
    for topic in topics:
        score = sum(len(_pattern(k).findall(text)) for k in topic.keywords if k)
        if score and (best is None or score > best[0]):
            best = (score, topic.slug)
    return best[1] if best else None
