"""Plain objects of the digest feature (no Discord, no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

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
class Change:
    """One item of a digest: what changed about one entry in the window.

    Its hash is computed once: the renderer's caches hash every item of every digest.
    """

    entry_id: str
    entry_kind: Literal["position", "event"]
    kind: ChangeKind
    title: str
    detail: str
    topics: tuple[str, ...]
    at: datetime
    source_url: str = ""
    disputed: bool = False
    gist: str = ""
    """A position's gist, or its summary when it has none (the renderer keeps its first sentence)."""
    correction: str = ""
    """A disputed entry's correction (its status note); empty for others."""
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        value = (
            self.entry_id,
            self.entry_kind,
            self.kind,
            self.title,
            self.detail,
            self.topics,
            self.at,
            self.source_url,
            self.disputed,
            self.gist,
            self.correction,
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
