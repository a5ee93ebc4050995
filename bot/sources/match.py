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


@lru_cache(maxsize=256)
def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of `phrases` as whole words (longest first), ignoring case."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", re.IGNORECASE)


def _norm_phrase(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def suggest_actors(text: str, actors: Iterable[ActorHint], limit: int = 10) -> list[str]:
    """The slugs of actors whose name or an alias occurs in `text` (whole words), in text order."""
    owner: dict[str, str] = {}
    for actor in actors:
        for name in actor.names:
            key = _norm_phrase(name)
            if len(key) >= 2:
                owner.setdefault(key, actor.slug)
    if not owner:
        return []
    found: list[str] = []
    for m in _alternation(tuple(sorted(owner))).finditer(text):
        slug = owner.get(_norm_phrase(m.group(0)))
        if slug is not None and slug not in found:
            found.append(slug)
            if len(found) >= limit:
                break
    return found


def suggest_topic(text: str, topics: Iterable[TopicHint]) -> str | None:
    """The topic whose keywords occur most often in `text`; None when none occurs (ties: first listed)."""
    owners: dict[str, list[str]] = {}
    order: list[str] = []
    for topic in topics:
        order.append(topic.slug)
        for k in topic.keywords:
            key = _norm_phrase(k)
            if key:
                owners.setdefault(key, []).append(topic.slug)
    if not owners:
        return None
    scores: dict[str, int] = {}
    for m in _alternation(tuple(sorted(owners))).finditer(text):
        for slug in owners.get(_norm_phrase(m.group(0)), ()):
            scores[slug] = scores.get(slug, 0) + 1
    if not scores:
        return None
    best = max(scores.values())
    return next(slug for slug in order if scores.get(slug) == best)
