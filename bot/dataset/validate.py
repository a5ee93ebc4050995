"""Cross-reference checks over a whole dataset (entries are already individually valid)."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter

from bot.dataset.problems import Problem, ProblemCap
from bot.dataset.records import Dataset, Origin, Section
from bot.domain import Actor, Topic


class _Sink(ProblemCap):
    """Problems found by `validate`, capped at `limits.MAX_PROBLEMS` like a document's."""

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()
        self.dataset = dataset

    def add(self, section: Section, index: int, field: str, reason: str) -> None:
        """Record a problem against entry `index` of `section`."""
        self.keep(lambda: _problem(self.dataset.origin(section, index), field, reason))

    def add_at(self, origin: Origin, field: str, reason: str) -> None:
        """Record a problem against the entry read at `origin`."""
        self.keep(lambda: _problem(origin, field, reason))


def _problem(origin: Origin, field: str, reason: str) -> Problem:
    return Problem(origin.file, origin.entry, field, reason, origin.line)


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
    *,
    known: KnownNames | None = None,
    references: bool = True,
) -> list[Problem]:
    """Duplicates, alias collisions and references to unknown actors/topics.

    `known_actors`/`known_topics` are what already exists elsewhere (e.g. the database), as
    slugs or objects; an `Actor` also brings its aliases into the collision check. A dataset
    entry with a known slug is an update of it, not a duplicate. The known items are walked
    once, keeping only the names this dataset uses, so a small dataset is cheap to check
    against a large store. `known`: the same already indexed (`KnownNames`), for checking many
    datasets against one store; then `known_actors`/`known_topics` are not given. With
    `references=False`, references to actors and topics that the dataset does not define are
    left unchecked (for a caller whose store checks them later).
    """
    problems = _Sink(dataset)
    _duplicate_slugs(dataset, "actors", [actor.slug for actor in dataset.actors], problems)
    _duplicate_slugs(dataset, "topics", [topic.slug for topic in dataset.topics], problems)
    _duplicate_ids(dataset, problems)
    actor_refs, topic_refs = _referenced(dataset)
    defined_actors = {actor.slug for actor in dataset.actors}
    defined_topics = {topic.slug for topic in dataset.topics}
    if known is None:
        known = KnownNames(known_actors, known_topics)
    elif known_actors or known_topics:
        raise TypeError("validate: give the known names either indexed (known=) or as items")
    reduced = _Known(known, actor_refs - defined_actors, topic_refs - defined_topics)
    names = _alias_collisions(dataset, reduced, problems)
    actor_slugs = defined_actors | reduced.actor_slugs
    topic_slugs = defined_topics | reduced.topic_slugs
    if references:
        _references(dataset, actor_slugs, topic_slugs, names, reduced, problems)
    return problems.result()


def _slug_of(item: str | Actor | Topic) -> str:
    return item if isinstance(item, str) else item.slug


def _referenced(dataset: Dataset) -> tuple[set[str], set[str]]:
    actors = {record.actor for record in dataset.positions}
    topics = {record.topic for record in dataset.positions}
    for event in dataset.events:
        actors.update(event.actors)
        topics.update(event.topics)
    for stub in dataset.rejected:
        actors.update(slug for _field, slug in stub.actors)
        topics.update(slug for _field, slug in stub.topics)
    return actors, topics


class KnownNames:
    """Actors and topics that exist already, indexed once: many datasets are checked against it.

    Building it walks every item once, in C where it can (`map`, sets); checking a dataset then
    costs only the dataset's own names. `layered` puts one server's own items over it (a
    server's own item wins over a wider one with the same slug) without walking the wider ones.
    """

    def __init__(
        self,
        actors: Iterable[str | Actor] = (),
        topics: Iterable[str | Topic] = (),
        *,
        over: KnownNames | None = None,
    ) -> None:
        self._actors = actors if isinstance(actors, list | tuple) else list(actors)
        self._topics = topics if isinstance(topics, list | tuple) else list(topics)
        self._actor_slugs = frozenset(_slugs(self._actors))
        self._topic_slugs = frozenset(_slugs(self._topics))
        try:
            self._aliases = frozenset(chain.from_iterable(map(_ALIASES, self._actors)))
        except AttributeError:  # some are plain slugs (no aliases)
            self._aliases = frozenset(
                alias for item in self._actors if not isinstance(item, str) for alias in item.aliases
            )
        self._over = over

    def layered(self, actors: Iterable[str | Actor], topics: Iterable[str | Topic]) -> KnownNames:
        """These items over this index: what a server sees (its own, then the global ones)."""
        return KnownNames(actors, topics, over=self)

    def actor_slugs_among(self, names: set[str]) -> set[str]:
        """The names in `names` that are known actor slugs."""
        found = names.intersection(self._actor_slugs)
        return found if self._over is None else found | self._over.actor_slugs_among(names)

    def topic_slugs_among(self, names: set[str]) -> set[str]:
        """The names in `names` that are known topic slugs."""
        found = names.intersection(self._topic_slugs)
        return found if self._over is None else found | self._over.topic_slugs_among(names)

    def alias_claims(self, wanted: set[str], skipped: set[str] | frozenset[str]) -> list[tuple[str, str]]:
        """(alias, owner slug) of known actors' aliases in `wanted`, owners in `skipped` left out.

        Nearest layer first; a wider layer's actor that a nearer one redefines is left out.
        """
        claims: list[tuple[str, str]] = []
        if not wanted.isdisjoint(self._aliases):
            for item in self._actors:
                if isinstance(item, str) or item.slug in skipped:
                    continue
                claims += ((alias, item.slug) for alias in item.aliases if alias in wanted)
        if self._over is not None:
            claims += self._over.alias_claims(wanted, skipped | self._actor_slugs)
        return claims

    def all_actor_slugs(self) -> set[str]:
        """Every known actor slug (for "did you mean" hints only)."""
        wider = self._over.all_actor_slugs() if self._over is not None else set()
        return wider | self._actor_slugs

    def all_topic_slugs(self) -> set[str]:
        """Every known topic slug (for "did you mean" hints only)."""
        wider = self._over.all_topic_slugs() if self._over is not None else set()
        return wider | self._topic_slugs


class _Known:
    """The known names, reduced to what one dataset needs."""

    def __init__(self, names: KnownNames, actor_refs: set[str], topic_refs: set[str]) -> None:
        self.names = names
        self.actor_refs = actor_refs  # referenced, not defined by the dataset
        self.actor_slugs = names.actor_slugs_among(actor_refs)  # the known ones among them
        self.topic_slugs = names.topic_slugs_among(topic_refs)

    def actor_claims(
        self, wanted: set[str], redefined: set[str]
    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(name, owner) slug claims and alias claims of known actors on `wanted` names.

        Known actors the dataset redefines (by slug) are skipped: the dataset's version counts.
        """
        slugs = [(slug, slug) for slug in self.names.actor_slugs_among(wanted) if slug not in redefined]
        return slugs, self.names.alias_claims(wanted, redefined)

    def all_actor_slugs(self) -> set[str]:
        """Every known actor slug (for "did you mean" hints only)."""
        return self.names.all_actor_slugs()

    def all_topic_slugs(self) -> set[str]:
        """Every known topic slug (for "did you mean" hints only)."""
        return self.names.all_topic_slugs()


def _slugs(items: Sequence[str | Actor] | Sequence[str | Topic]) -> list[str]:
    """The slugs of known items (objects or plain slugs), gathered in C when all are objects."""
    try:
        return list(map(_SLUG, items))
    except AttributeError:  # some are plain slugs
        return [_slug_of(item) for item in items]


_SLUG = attrgetter("slug")
_ALIASES = attrgetter("aliases")


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
    """Ids used twice, in file order, counting entries left out for other problems too."""
    entries: list[tuple[Origin, str]] = [
        (dataset.origin("positions", index), record.id) for index, record in enumerate(dataset.positions)
    ] + [(dataset.origin("events", index), record.id) for index, record in enumerate(dataset.events)]
    entries += [
        (stub.origin, stub.key)
        for stub in dataset.rejected
        if stub.key is not None and stub.section in ("positions", "events")
    ]
    entries.sort(key=lambda item: (item[0].file, item[0].line or 0))  # files load in name order
    first: dict[str, Origin] = {}
    for origin, record_id in entries:
        if record_id in first:
            where = f"{first[record_id].entry.split(' ', 1)[0]} in {first[record_id].file}"
            reason = f"duplicate id {record_id!r}: already used at {where} (ids are shared by positions and events)"
            problems.add_at(origin, "id", reason)
        else:
            first[record_id] = origin


def _alias_collisions(dataset: Dataset, known: _Known, problems: _Sink) -> _Names:
    """Slugs and aliases of the dataset's actors that another actor already uses.

    Known actors claim their names first (slugs before aliases), then the dataset's actors;
    only names the dataset uses (defines or refers to) matter, so only those are claimed.
    """
    names = _Names()
    in_dataset = {actor.slug for actor in dataset.actors}
    wanted = set(in_dataset) | known.actor_refs
    for actor in dataset.actors:
        wanted.update(actor.aliases)
    slug_claims, alias_claims = known.actor_claims(wanted, in_dataset)
    for name, owner in slug_claims:
        names.claim(name, owner, "slug")
    for name, owner in alias_claims:
        names.claim(name, owner, "alias")
    for index, actor in enumerate(dataset.actors):
        taken_by = names.claim(actor.slug, actor.slug, "slug")
        if taken_by is not None:
            reason = f"slug {actor.slug!r} is already taken by {taken_by}"
            problems.add("actors", index, "slug", reason)
    for index, actor in enumerate(dataset.actors):
        for position, alias in enumerate(actor.aliases):
            taken_by = names.claim(alias, actor.slug, "alias")
            if taken_by is not None:
                reason = f"alias {alias!r} is already taken by {taken_by}"
                problems.add("actors", index, f"aliases[{position}]", reason)
    return names


def _references(
    dataset: Dataset,
    actor_slugs: set[str],
    topic_slugs: set[str],
    names: _Names,
    known: _Known,
    problems: _Sink,
) -> None:
    hints = _Hints(dataset, actor_slugs, topic_slugs, known)
    for index, record in enumerate(dataset.positions):
        if record.actor not in actor_slugs:
            reason = _unknown("actor", record.actor, hints.actors, names, problems)
            problems.add("positions", index, "actor", reason)
        if record.topic not in topic_slugs:
            reason = _unknown("topic", record.topic, hints.topics, None, problems)
            problems.add("positions", index, "topic", reason)
    for index, event in enumerate(dataset.events):
        for position, slug in enumerate(event.actors):
            if slug not in actor_slugs:
                reason = _unknown("actor", slug, hints.actors, names, problems)
                problems.add("events", index, f"actors[{position}]", reason)
        for position, slug in enumerate(event.topics):
            if slug not in topic_slugs:
                reason = _unknown("topic", slug, hints.topics, None, problems)
                problems.add("events", index, f"topics[{position}]", reason)
    for stub in dataset.rejected:  # entries left out for other problems: their references too
        for field_name, slug in stub.actors:
            if slug not in actor_slugs:
                problems.add_at(
                    stub.origin, field_name, _unknown("actor", slug, hints.actors, names, problems)
                )
        for field_name, slug in stub.topics:
            if slug not in topic_slugs:
                problems.add_at(
                    stub.origin, field_name, _unknown("topic", slug, hints.topics, None, problems)
                )


class _Hints:
    """Every slug that exists, for "did you mean" hints: built only when a reference is unknown."""

    def __init__(self, dataset: Dataset, actor_slugs: set[str], topic_slugs: set[str], known: _Known) -> None:
        self._dataset, self._known = dataset, known
        self._actor_slugs, self._topic_slugs = actor_slugs, topic_slugs

    @functools.cached_property
    def actors(self) -> set[str]:
        return self._actor_slugs | {a.slug for a in self._dataset.actors} | self._known.all_actor_slugs()

    @functools.cached_property
    def topics(self) -> set[str]:
        return self._topic_slugs | {t.slug for t in self._dataset.topics} | self._known.all_topic_slugs()


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
