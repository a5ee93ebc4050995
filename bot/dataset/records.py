"""Entries as stored in data files: positions and events name actors and topics by slug."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeVar

from bot.domain import Actor, Event, FuzzyDate, Position, Source, Stance, Status, Topic, Verification

T = TypeVar("T")

Section = Literal["actors", "topics", "positions", "events"]
SECTIONS: tuple[Section, ...] = ("actors", "topics", "positions", "events")


@dataclass(frozen=True, slots=True)
class PositionRecord:
    """A `Position` whose actor and topic are slugs (file key `date` is `stated` here)."""

    id: str
    actor: str
    topic: str
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

    def to_domain(self, actor: Actor, topic: Topic) -> Position:
        """The domain `Position`, given the resolved actor and topic."""
        return Position(
            id=self.id,
            actor=actor,
            topic=topic,
            stance=self.stance,
            summary=self.summary,
            stated=self.stated,
            sources=self.sources,
            status=self.status,
            status_note=self.status_note,
            key_points=self.key_points,
            quote=self.quote,
            speaker=self.speaker,
            verification=self.verification,
            gist=self.gist,
        )


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An `Event` whose actors and topics are slugs."""

    id: str
    date: FuzzyDate
    title: str
    summary: str
    sources: tuple[Source, ...]
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    status: Status = Status.REPORTED
    status_note: str = ""
    verification: Verification | None = None

    def to_domain(self, actors: tuple[Actor, ...], topics: tuple[Topic, ...]) -> Event:
        """The domain `Event`, given the resolved actors and topics (in this record's order)."""
        return Event(
            id=self.id,
            date=self.date,
            title=self.title,
            summary=self.summary,
            sources=self.sources,
            actors=actors,
            topics=topics,
            status=self.status,
            status_note=self.status_note,
            verification=self.verification,
        )


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entry was read from: the file and the entry's label in it."""

    file: str
    entry: str
    line: int | None = None  # where the entry starts in the file, when known


_NO_ORIGINS: Mapping[tuple[Section, int], Origin] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Rejected:
    """What is still known of an entry left out for its problems: its id and the names it refers to.

    Kept so that one pass reports everything: an unknown actor in an entry that also has a bad
    URL, or a duplicate id whose first copy was invalid.
    """

    section: Section
    origin: Origin
    key: str | None = None  # the id (positions, events) or slug, when valid
    actors: tuple[tuple[str, str], ...] = ()  # (field, slug) of valid-looking references
    topics: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Dataset:
    """Actors, topics, positions and events read from one or more files.

    `origins` maps `(section, index)` to where that entry came from; it is bookkeeping for
    problem messages and takes no part in equality.
    """

    actors: tuple[Actor, ...] = ()
    topics: tuple[Topic, ...] = ()
    positions: tuple[PositionRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    origins: Mapping[tuple[Section, int], Origin] = field(
        default_factory=lambda: _NO_ORIGINS, compare=False, hash=False, repr=False
    )
    rejected: tuple[Rejected, ...] = field(default=(), compare=False, hash=False, repr=False)

    def __len__(self) -> int:
        return len(self.actors) + len(self.topics) + len(self.positions) + len(self.events)

    def origin(self, section: Section, index: int) -> Origin:
        """Where entry `index` of `section` came from (a generic label if unknown)."""
        found = self.origins.get((section, index))
        if found is not None:
            return found
        return Origin("<dataset>", f"{section}[{index}]")


def merge(parts: list[Dataset]) -> Dataset:
    """Concatenate datasets in order, keeping each entry's origin."""
    origins: dict[tuple[Section, int], Origin] = {}
    actors: list[Actor] = []
    topics: list[Topic] = []
    positions: list[PositionRecord] = []
    events: list[EventRecord] = []
    for part in parts:
        _extend(actors, part.actors, "actors", part, origins)
        _extend(topics, part.topics, "topics", part, origins)
        _extend(positions, part.positions, "positions", part, origins)
        _extend(events, part.events, "events", part, origins)
    return Dataset(
        actors=tuple(actors),
        topics=tuple(topics),
        positions=tuple(positions),
        events=tuple(events),
        origins=MappingProxyType(origins),
        rejected=tuple(r for part in parts for r in part.rejected),
    )


def _extend(
    target: list[T],
    items: tuple[T, ...],
    section: Section,
    part: Dataset,
    origins: dict[tuple[Section, int], Origin],
) -> None:
    offset = len(target)
    for index, item in enumerate(items):
        origins[(section, offset + index)] = part.origin(section, index)
        target.append(item)
