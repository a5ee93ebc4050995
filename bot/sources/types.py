"""Plain objects the sources store returns and takes (no ORM rows, no Discord)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A watched source as `/admin source-list` shows it."""

    id: int
    guild_id: int
    url: str
    label: str
    feed_title: str
    default_topic: str
    default_actors: tuple[str, ...]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    active: bool
    last_fetch_at: datetime | None
    last_new_item_at: datetime | None
    last_error: str
    failures: int
    next_due_at: datetime
    skipped: dict[str, int] = field(default_factory=dict)
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """One feed item, ready to become a draft: identity, dedupe key, text and suggestions."""

    identity: str
    dedupe_key: str
    title: str
    summary: str
    link: str
    date: str
    topic: str
    actors: tuple[str, ...]
    wanted: bool = True  # False: filtered out by include/exclude (still remembered as seen)


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """What one fetch of a source produced (items or an error), for the store to record."""

    candidates: tuple[Candidate, ...] = ()
    feed_title: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    error: str = ""
    retry_after: float | None = None
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording a fetch did: drafts made, and items that joined an existing draft."""

    source_id: int
    guild_id: int
    label: str
    new_drafts: int = 0
    merged: int = 0
    error: str = ""
    items: int = 0  # items the feed held (a 304 holds none)
    feed_title: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft in the review queue."""

    id: int
    guild_id: int
    source_ids: tuple[int, ...]
    source_labels: tuple[str, ...]
    link: str
    title: str
    summary: str
    date: str
    topic: str
    actors: tuple[str, ...]
    status: str
    created_at: datetime
    decided_by: int = 0
    entry_id: str = ""
