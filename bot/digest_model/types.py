"""Plain objects of the digest feature (no Discord, no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.domain import FuzzyDate

ChangeKind = Literal["new", "updated", "corrected", "removed", "restored"]


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel's digest subscription as curators see it in `/digest list`."""

    id: int
    guild_id: int
    channel_id: int
    topics: tuple[str, ...]
    cadence: str
    time_of_day: str
    timezone: str
    weekday: int
    post_empty: bool
    active: bool
    disabled_reason: str
    covered_until: datetime
    next_due_at: datetime
    failures: int = 0
    last_error: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """One digest this process has claimed to post: its period, nonce and the changes window."""

    delivery_id: int
    subscription: Subscription
    period: str
    nonce: str
    covered_from: datetime
    covered_until: datetime
    attempts: int
    claimed_at: datetime  # the time this attempt was claimed: the next due time is counted from it
    posted_ids: tuple[int, ...] = ()  # parts already posted by an earlier attempt, in order: not re-posted


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that updates in the window changed: its name, and for stance and status the value
    before the window's first update and after its last (None for other fields: their values are long)."""

    field: str
    old: str | None = None
    new: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One item of a digest: what changed about one entry in the window, as data (the renderer words it).

    Its hash is computed once: the renderer's caches hash every item of every digest.
    """

    entry_id: str
    entry_kind: Literal["position", "event"]
    kind: ChangeKind
    title: str
    topics: tuple[str, ...]
    at: datetime
    source_url: str = ""
    disputed: bool = False
    gist: str = ""
    """A position's gist, or its summary when it has none (the renderer keeps its first sentence)."""
    correction: str = ""
    """A disputed entry's correction (its status note); empty for others."""
    date: FuzzyDate | None = None
    """When a position was stated, or an event happened."""
    stance: str = ""
    """A position's stance (now); empty for events."""
    previous_stance: str = ""
    """A new position's previous statement's stance (same actor and topic, stated on or before it,
    the server's own statements counted); empty when there is none."""
    fields: tuple[FieldChange, ...] = ()
    """What the window's updates changed, in field-name order: for an updated or corrected item, and for
    a removed or restored event; empty otherwise."""
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        value = (
            self.entry_id,
            self.entry_kind,
            self.kind,
            self.title,
            self.topics,
            self.at,
            self.source_url,
            self.disputed,
            self.gist,
            self.correction,
            self.date,
            self.stance,
            self.previous_stance,
            self.fields,
        )
        object.__setattr__(self, "_hash", hash(value))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class DigestContent:
    """Everything one digest says."""

    subscription: Subscription
    changes: tuple[Change, ...]
    covered_from: datetime
    covered_until: datetime
    topic_titles: tuple[str, ...] = ()
