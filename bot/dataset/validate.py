"""Cross-reference checks over a whole dataset (entries are already individually valid)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.dataset import limits
from bot.dataset.problems import Problem
from bot.dataset.records import Dataset, Section
from bot.domain import Actor, Topic


class _Sink:
    """Problems found by `validate`, capped at `limits.MAX_PROBLEMS` like a document's."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.items: list[Problem] = []
        self.dropped = 0

    @property
    def full(self) -> bool:
        """True once no more problems will be kept (so callers can skip costly hints)."""
        return len(self.items) >= limits.MAX_PROBLEMS

    def add(self, section: Section, index: int, field: str, reason: str) -> None:
        """Record a problem against entry `index` of `section`."""
        if self.full:
            self.dropped += 1
            return
        origin = self.dataset.origin(section, index)
        self.items.append(Problem(origin.file, origin.entry, field, reason))

    def result(self) -> list[Problem]:
        """The problems, with a closing summary line if some were dropped."""
        if not self.dropped:
            return self.items
        return [*self.items, Problem("", "", "", f"… and {self.dropped:,} more problems not shown")]


@dataclass
class _Names:
    """Who owns each actor name (slug or alias), for collision checks and hints."""

    owner: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)

    def claim(self, name: str, actor: str, how: str) -> str | None:
        """Give `name` to `actor`; returns a description of the current owner if taken."""
        current = self.owner.get(name)
        if current is not None and current != actor:
            return f"actor {current!r} ({self.how[name]})"
        if current is None:
            self.owner[name] = actor
            self.how[name] = how
        return None


def validate(
    dataset: Dataset,
    known_actors: Iterable[str | Actor] = (),
    known_topics: Iterable[str | Topic] = (),
) -> list[Problem]:
    """Duplicates, alias collisions and references to unknown actors/topics.

    `known_actors`/`known_topics` are what already exists elsewhere (e.g. the database), as
    slugs or objects; an `Actor` also brings its aliases into the collision check. A dataset
    entry with a known slug is an update of it, not a duplicate.
    """
    known_actor_list = list(known_actors)
    known_topic_slugs = {_slug_of(item) for item in known_topics}
    problems = _Sink(dataset)
    _duplicate_slugs(dataset, "actors", [actor.slug for actor in dataset.actors], problems)
    _duplicate_slugs(dataset, "topics", [topic.slug for topic in dataset.topics], problems)
    _duplicate_ids(dataset, problems)
    names = _alias_collisions(dataset, known_actor_list, problems)
    actor_slugs = {actor.slug for actor in dataset.actors} | {_slug_of(item) for item in known_actor_list}
    topic_slugs = {topic.slug for topic in dataset.topics} | known_topic_slugs
    _references(dataset, actor_slugs, topic_slugs, names, problems)
    return problems.result()


def _slug_of(item: str | Actor | Topic) -> str:
    return item if isinstance(item, str) else item.slug


def _where(dataset: Dataset, section: Section, index: int) -> str:
    origin = dataset.origin(section, index)
    return f"{origin.entry.split(' ', 1)[0]} in {origin.file}"


def _duplicate_slugs(dataset: Dataset, section: Section, slugs: list[str], problems: _Sink) -> None:
    first: dict[str, int] = {}
    for index, slug in enumerate(slugs):
        if slug in first:
            where = _where(dataset, section, first[slug])
            reason = f"duplicate slug {slug!r}: already defined at {where}"
            problems.add(section, index, "slug", reason)
        else:
            first[slug] = index


def _duplicate_ids(dataset: Dataset, problems: _Sink) -> None:
    first: dict[str, tuple[Section, int]] = {}
    entries: list[tuple[Section, int, str]] = [
        ("positions", index, record.id) for index, record in enumerate(dataset.positions)
    ] + [("events", index, record.id) for index, record in enumerate(dataset.events)]
    for section, index, record_id in entries:
        if record_id in first:
            where = _where(dataset, *first[record_id])
            reason = f"duplicate id {record_id!r}: already used at {where} (ids are shared by positions and events)"
            problems.add(section, index, "id", reason)
        else:
            first[record_id] = (section, index)


def _alias_collisions(dataset: Dataset, known_actors: list[str | Actor], problems: _Sink) -> _Names:
    names = _Names()
    in_dataset = {actor.slug for actor in dataset.actors}
    others = [item for item in known_actors if _slug_of(item) not in in_dataset]
    for item in others:
        names.claim(_slug_of(item), _slug_of(item), "slug")
    for item in others:
        if isinstance(item, Actor):
            for alias in item.aliases:
                names.claim(alias, item.slug, "alias")
    for index, actor in enumerate(dataset.actors):
        owner = names.claim(actor.slug, actor.slug, "slug")
        if owner is not None:
            reason = f"slug {actor.slug!r} is already taken by {owner}"
            problems.add("actors", index, "slug", reason)
    for index, actor in enumerate(dataset.actors):
        for position, alias in enumerate(actor.aliases):
            owner = names.claim(alias, actor.slug, "alias")
            if owner is not None:
                reason = f"alias {alias!r} is already taken by {owner}"
                problems.add("actors", index, f"aliases[{position}]", reason)
    return names


def _references(
    dataset: Dataset,
    actor_slugs: set[str],
    topic_slugs: set[str],
    names: _Names,
    problems: _Sink,
) -> None:
    for index, record in enumerate(dataset.positions):
        if record.actor not in actor_slugs:
            reason = _unknown("actor", record.actor, actor_slugs, names, problems)
            problems.add("positions", index, "actor", reason)
        if record.topic not in topic_slugs:
            reason = _unknown("topic", record.topic, topic_slugs, None, problems)
            problems.add("positions", index, "topic", reason)
    for index, event in enumerate(dataset.events):
        for position, slug in enumerate(event.actors):
            if slug not in actor_slugs:
                reason = _unknown("actor", slug, actor_slugs, names, problems)
                problems.add("events", index, f"actors[{position}]", reason)
        for position, slug in enumerate(event.topics):
            if slug not in topic_slugs:
                reason = _unknown("topic", slug, topic_slugs, None, problems)
                problems.add("events", index, f"topics[{position}]", reason)


def _unknown(kind: str, slug: str, known: set[str], names: _Names | None, sink: _Sink) -> str:
    reason = f"unknown {kind} {slug!r}"
    if sink.full:
        return reason
    if names is not None and names.how.get(slug) == "alias":
        return f"{reason}: it is an alias; use the slug {names.owner[slug]!r}"
    close = difflib.get_close_matches(slug, sorted(known), n=1)
    if close:
        return f"{reason} (did you mean {close[0]!r}?)"
    return f"{reason}: define it under {kind}s or use an existing slug"
