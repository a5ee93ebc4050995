"""Plain domain objects shared by the store, the renderer and the dataset loader.

Nothing here knows about Discord or the database: the store returns these, the renderer
turns them into embeds, the dataset module reads and writes them as files.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

GLOBAL_SCOPE = 0
"""`guild_id` of entries that every server sees (shipped in data/ or written by the owners)."""

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
"""Actor and topic slugs: lowercase, digits and inner hyphens, at most 32 characters."""

ENTRY_ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
"""Position and event ids: like slugs, at most 64 characters."""

Precision = Literal["day", "month", "year"]

_FUZZY_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Stance(StrEnum):
    """Where an actor stands on a topic."""

    SUPPORTS = "supports"
    OPPOSES = "opposes"
    CONDITIONAL = "conditional"
    AMBIGUOUS = "ambiguous"


class Status(StrEnum):
    """How well an entry is established."""

    VERIFIED = "verified"
    REPORTED = "reported"
    DISPUTED = "disputed"


class Verification(StrEnum):
    """A caveat on how far an entry is confirmed, shown to readers."""

    SINGLE_SOURCE = "single-source"
    UNVERIFIED = "unverified"


class SourceRole(StrEnum):
    """What a source of a disputed entry does: shows where the claim appeared, or settles it."""

    CLAIM = "claim"
    EVIDENCE = "evidence"


class ActorKind(StrEnum):
    """What sort of actor this is."""

    STATE = "state"
    ORGANISATION = "organisation"
    ALLIANCE = "alliance"
    PERSON = "person"


# English month abbreviations, fixed: `calendar.month_abbr` formats a date through the C locale on
# every lookup (an eighth of rendering a search page) and would follow LC_TIME if anything set it.
MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True, order=True)
class FuzzyDate:
    """A date known to a day, a month or a year; `value` is the first day of that period."""

    value: date
    precision: Precision = "day"

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, keeping the precision; ValueError if malformed."""
        match = _FUZZY_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        if not 1000 <= int(year) <= 9999:
            raise ValueError(f"{text!r}: year out of range")
        try:
            if day is not None:
                return cls(date(int(year), int(month), int(day)), "day")
            if month is not None:
                return cls(date(int(year), int(month), 1), "month")
            return cls(date(int(year), 1, 1), "year")
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a real date ({exc})") from None

    @property
    def end(self) -> date:
        """The last day of the period this date covers."""
        v = self.value
        if self.precision == "day":
            return v
        if self.precision == "month":
            return date(v.year, v.month, calendar.monthrange(v.year, v.month)[1])
        return date(v.year, 12, 31)

    def iso(self) -> str:
        """The date at its precision: `2025`, `2025-03` or `2025-03-17`."""
        v = self.value
        if self.precision == "year":
            return f"{v.year:04d}"
        if self.precision == "month":
            return f"{v.year:04d}-{v.month:02d}"
        return v.isoformat()

    def human(self) -> str:
        """The date for readers: `17 Mar 2025`, `Mar 2025` or `2025`."""
        v = self.value
        if self.precision == "year":
            return str(v.year)
        if self.precision == "month":
            return f"{MONTH_ABBR[v.month]} {v.year}"
        return f"{v.day} {MONTH_ABBR[v.month]} {v.year}"

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class Source:
    """Where a claim comes from.

    `via` names the agency whose copy the publisher republished (the source then counts as
    wire); `role` is set on the sources of disputed entries.
    """

    url: str
    publisher: str
    title: str = ""
    published: FuzzyDate | None = None
    via: str = ""
    role: SourceRole | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """A state, organisation, alliance or person whose positions we track."""

    slug: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    guild_id: int = GLOBAL_SCOPE

    @property
    def is_global(self) -> bool:
        return self.guild_id == GLOBAL_SCOPE


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject actors take positions on and events belong to."""

    slug: str
    title: str
    summary: str = ""
    guild_id: int = GLOBAL_SCOPE

    @property
    def is_global(self) -> bool:
        return self.guild_id == GLOBAL_SCOPE


@dataclass(frozen=True, slots=True)
class Position:
    """One statement of an actor's stance on a topic. `current` is False once superseded."""

    id: str
    actor: Actor
    topic: Topic
    stance: Stance
    summary: str
    stated: FuzzyDate
    sources: tuple[Source, ...]
    status: Status = Status.REPORTED
    status_note: str = ""
    key_points: tuple[str, ...] = ()
    quote: str = ""
    speaker: str = ""
    verification: Verification | None = None
    gist: str = ""
    """One plain sentence (≤ 120 characters) saying the position itself; empty until curated."""
    guild_id: int = GLOBAL_SCOPE
    current: bool = True
    removed: bool = False

    @property
    def is_global(self) -> bool:
        return self.guild_id == GLOBAL_SCOPE


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, dated at its known precision."""

    id: str
    date: FuzzyDate
    title: str
    summary: str
    sources: tuple[Source, ...]
    actors: tuple[Actor, ...] = ()
    topics: tuple[Topic, ...] = ()
    status: Status = Status.REPORTED
    status_note: str = ""
    verification: Verification | None = None
    guild_id: int = GLOBAL_SCOPE
    removed: bool = False

    @property
    def is_global(self) -> bool:
        return self.guild_id == GLOBAL_SCOPE


Entry = Position | Event


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded change to an entry (the audit log, as the curator sees it)."""

    entry_id: str
    action: str
    user_id: int
    at: datetime
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class EntryDetail:
    """One entry in full; for a position, every statement of that actor on that topic, newest first."""

    entry: Entry
    history: tuple[Position, ...] = ()
    revisions: tuple[Revision, ...] = ()


@dataclass(frozen=True, slots=True)
class PageOf(Generic[T]):
    """One page of a longer ordered result. `number` counts from 0."""

    items: tuple[T, ...]
    number: int
    size: int
    total: int

    @property
    def count(self) -> int:
        """How many pages there are (at least one, even when empty)."""
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result.

    `snippet` is plain text around the match, each match between bot.db.search's MARK_START and
    MARK_END. A position names its actor, topic and stance, and whether it is still `current`.
    """

    entry_id: str
    kind: Literal["position", "event"]
    title: str
    snippet: str
    date: FuzzyDate
    status: Status
    actor: str = ""
    topic: str = ""
    stance: Stance | None = None
    current: bool = True
    correction: str = ""
    """The correction (status note) of a disputed entry; empty for others."""


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What a search shows: the best matches, current statements and events before earlier
    statements, each group in relevance order.

    `matches` counts the visible matches weighed (`more`: further ones lie past them, unweighed).
    """

    hits: tuple[SearchHit, ...]
    matches: int
    more: bool = False


@dataclass(frozen=True, slots=True)
class Briefing:
    """The one-screen view of a topic: each actor's current stance and the latest events."""

    topic: Topic
    positions: tuple[Position, ...]
    latest_events: tuple[Event, ...]
    event_count: int = 0


ScopeKind = Literal["positions", "compare", "events", "briefing", "any", "own"]


@dataclass(frozen=True, slots=True)
class CacheScope:
    """What a read command's answer depends on, so it can be cached per effective scope.

    `kind` says which of a server's own entries matter (see bot.store.reads.Reads.memo_answer);
    `actors` and `topic` are the names as asked (the store resolves them; "" is ignored).
    """

    kind: ScopeKind
    actors: tuple[str, ...] = ()
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class PositionQuery:
    """`/position actor [topic]`."""

    actor: str
    topic: str | None = None

    def cache_scope(self) -> CacheScope:
        """One actor's positions (on one topic, when given)."""
        return CacheScope("positions", (self.actor,), self.topic)


@dataclass(frozen=True, slots=True)
class TimelineQuery:
    """`/timeline topic [actor] [since] [until] [chart]`: dates are inclusive periods; `chart`
    draws the page's events above the list."""

    topic: str
    actor: str | None = None
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    chart: bool = False

    def cache_scope(self) -> CacheScope:
        """A topic's events (involving one actor, when given)."""
        return CacheScope("events", (self.actor,) if self.actor else (), self.topic)


@dataclass(frozen=True, slots=True)
class EntryQuery:
    """`/entry id`."""

    id: str

    def cache_scope(self) -> CacheScope:
        """Always per server: an id may name a server's own entry."""
        return CacheScope("own")


@dataclass(frozen=True, slots=True)
class ActorsQuery:
    """`/actors`."""

    def cache_scope(self) -> CacheScope:
        """Anything of the server's own changes the list."""
        return CacheScope("any")


@dataclass(frozen=True, slots=True)
class TopicsQuery:
    """`/topics`."""

    def cache_scope(self) -> CacheScope:
        """Anything of the server's own changes the list."""
        return CacheScope("any")


@dataclass(frozen=True, slots=True)
class BriefQuery:
    """`/brief topic`."""

    topic: str

    def cache_scope(self) -> CacheScope:
        """One topic's positions and events."""
        return CacheScope("briefing", (), self.topic)


@dataclass(frozen=True, slots=True)
class CompareQuery:
    """`/compare topic actor_a actor_b`."""

    topic: str
    actor_a: str
    actor_b: str

    def cache_scope(self) -> CacheScope:
        """Two actors' positions on one topic."""
        return CacheScope("compare", (self.actor_a, self.actor_b), self.topic)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """`/search query`."""

    text: str

    def cache_scope(self) -> CacheScope:
        """Any entry of the server's own may match."""
        return CacheScope("any")


@dataclass(frozen=True, slots=True)
class MapQuery:
    """`/map [topics] [actors]`: the names asked for, in order; empty for the most-covered ones."""

    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @classmethod
    def from_options(cls, actors: str | None, topics: str | None) -> MapQuery:
        """The query from the comma-separated options (`russia, nato`), keeping non-empty names."""
        return cls(split_names(actors), split_names(topics))

    def cache_scope(self) -> CacheScope:
        """Any entry of the server's own may be on the map."""
        return CacheScope("any")


def split_names(text: str | None) -> tuple[str, ...]:
    """A comma-separated option (`russia, nato`) as its non-empty names, in order."""
    return tuple(n.strip() for n in (text or "").split(",") if n.strip())


PagedQuery = PositionQuery | TimelineQuery | EntryQuery | ActorsQuery | TopicsQuery
"""The queries whose answers have pages (and so previous/next buttons)."""

Query = PagedQuery | BriefQuery | CompareQuery | SearchQuery | MapQuery
"""Every read command's query."""


@dataclass(frozen=True, slots=True)
class MapCell:
    """One actor's current stance on one topic, as the stance map shows it."""

    stance: Stance
    status: Status
    entry_id: str


@dataclass(frozen=True, slots=True)
class StanceMap:
    """Actors × topics: `cells[i][j]` is actor i's current stance on topic j, None if none is recorded."""

    actors: tuple[Actor, ...]
    topics: tuple[Topic, ...]
    cells: tuple[tuple[MapCell | None, ...], ...]
