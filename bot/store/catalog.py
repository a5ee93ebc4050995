"""The in-memory catalog of actors and topics: name resolution, autocomplete and suggestions.

Actors and topics are few and read on every command, so each process keeps them in memory.
Writes bump a version row in the same transaction; a process re-reads the catalog when that
version changed, checking at most every `ttl` seconds. So another process's write shows up
here within `ttl` seconds (CACHE_TTL_SECONDS), and this process's own writes at once. Writes
to positions and events bump a second row, the content version, checked in the same query:
cached answers (bot.store.cache) are keyed by both.
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import difflib
import heapq
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dataset.validate import KnownNames
from bot.db.models import ActorRow, MetaRow, TopicRow
from bot.domain import GLOBAL_SCOPE, Actor, ActorKind, Topic
from bot.errors import Ambiguous, NotFound

CATALOG_VERSION_KEY = "catalog_version"
CONTENT_VERSION_KEY = "content_version"  # bumped by every write to positions or events
# With each catalog version bump, the changed scope's own row (`catalog_version:<guild id>`, or
# `catalog_version:*` for "anything may have changed") gets the same value: a process re-reads
# only the scopes whose row changed, so one server's import does not reload the global catalog.
SCOPE_VERSION_PREFIX = CATALOG_VERSION_KEY + ":"
ALL_SCOPES = "*"
MAX_CHOICES = 25

T = TypeVar("T", Actor, Topic)


_ABOVE_ANY = "\U0010ffff"  # sorts after every character a key can hold


@dataclass(slots=True)
class _Item(Generic[T]):
    id: int
    value: T
    label: str
    primary: tuple[str, ...]  # slug and full name, lowercased: rank 0 on prefix
    secondary: tuple[str, ...]  # aliases and name words: rank 1 on prefix


@dataclass(slots=True)
class _ScopeIndex(Generic[T]):
    """The items of one scope (global, or one server's own), with a sorted prefix index."""

    items: list[_Item[T]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    refs: list[tuple[int, int]] = field(default_factory=list)  # (rank, item index) per key
    haystack: str = ""  # every item's keys, each followed by "\n", in item order (keys never hold "\n")
    starts: list[int] = field(default_factory=list)  # where each item's keys begin in `haystack`
    values: list[T] = field(default_factory=list)  # the items' values, in item (label) order
    slugs: frozenset[str] = frozenset()
    by_age: list[_Item[T]] = field(default_factory=list)  # the items by database id

    def build(self) -> None:
        self.values = [it.value for it in self.items]
        self.by_age = sorted(self.items, key=lambda it: it.id)
        self.slugs = frozenset(value.slug for value in self.values)
        pairs: list[tuple[str, int, int]] = []
        parts: list[str] = []
        offset = 0
        for i, item in enumerate(self.items):
            self.starts.append(offset)
            text = "".join(key + "\n" for key in item.primary + item.secondary)
            parts.append(text)
            offset += len(text)
            for key in item.primary:
                pairs.append((key, 0, i))
            for key in item.secondary:
                pairs.append((key, 1, i))
        pairs.sort()
        self.keys = [p[0] for p in pairs]
        self.refs = [(p[1], p[2]) for p in pairs]
        self.haystack = "".join(parts)

    def containing(self, q: str) -> Iterator[int]:
        """Indices, in item order, of the items with a key containing `q` (which holds no "\n")."""
        pos = self.haystack.find(q)
        while pos >= 0:
            idx = bisect.bisect_right(self.starts, pos) - 1
            yield idx
            if idx + 1 >= len(self.starts):
                return
            pos = self.haystack.find(q, self.starts[idx + 1])

    def exactly(self, q: str) -> list[tuple[int, int]]:
        """(rank, item index) of every key equal to `q`, slugs and full names first."""
        start = bisect.bisect_left(self.keys, q)
        return self.refs[start : bisect.bisect_right(self.keys, q, start)]

    def prefixed(self, q: str, limit: int) -> dict[int, int]:
        """Item index → best rank, for the `limit` best items with a key starting with `q`.

        Best is lowest rank, then label order, which is item order: the matching (rank, index)
        references sorted are best first, so a one-letter prefix matching thousands of keys costs
        one sort in C and `limit` steps, not a Python pass over every match.
        """
        start = bisect.bisect_left(self.keys, q)
        end = bisect.bisect_left(self.keys, q + _ABOVE_ANY, start)
        found: dict[int, int] = {}
        for rank, idx in sorted(self.refs[start:end]):
            if idx not in found:
                found[idx] = rank
                if len(found) >= limit:
                    break
        return found


class NameIndex(Generic[T]):
    """Resolution and ranked completion over the items visible to each server."""

    def __init__(
        self, kind: str, items: Iterable[tuple[int, int, T, str, Sequence[str], Sequence[str]]]
    ) -> None:
        self.kind = kind
        self._scopes: dict[int, _ScopeIndex[T]] = {}
        self._by_id: dict[int, T] = {}
        for item_id, guild_id, value, label, primary, secondary in items:
            scope = self._scopes.setdefault(guild_id, _ScopeIndex())
            scope.items.append(_Item(item_id, value, label, tuple(primary), tuple(secondary)))
            self._by_id[item_id] = value
        for scope in self._scopes.values():
            scope.items.sort(key=lambda it: it.label.lower())
            scope.build()

    def _visible(self, guild_id: int | None) -> list[_ScopeIndex[T]]:
        scopes = []
        if guild_id and guild_id in self._scopes:
            scopes.append(self._scopes[guild_id])  # a server's own entries win over global ones
        if GLOBAL_SCOPE in self._scopes:
            scopes.append(self._scopes[GLOBAL_SCOPE])
        return scopes

    def get(self, item_id: int) -> T | None:
        """The item with this database id, whatever its scope."""
        return self._by_id.get(item_id)

    def own(self, guild_id: int) -> list[T]:
        """The items of exactly this scope (a server's own, or the global ones for 0), sorted by name."""
        scope = self._scopes.get(guild_id)
        return list(scope.values) if scope is not None else []

    def all(self, guild_id: int | None) -> list[T]:
        """Everything the server sees, sorted by name."""
        scopes = self._visible(guild_id)
        if len(scopes) == 1:
            return list(scopes[0].values)
        if len(scopes) == 2 and not scopes[0].slugs & scopes[1].slugs:
            # the server's few items go into the (already sorted) global list: no re-sort
            merged = list(scopes[1].values)
            for value in reversed(scopes[0].values):  # ahead of equal names, in their own order
                bisect.insort_left(merged, value, key=_sort_key)
            return merged
        seen: dict[str, T] = {}
        for scope in scopes:
            for item in scope.items:
                seen.setdefault(item.value.slug, item.value)
        return sorted(seen.values(), key=_sort_key)

    def in_order_added(self, guild_id: int | None) -> list[T]:
        """Everything the server sees, oldest first (by database id; a server's own item in place of
        a global one with its slug): an item added later comes last, so the others keep their places."""
        scopes = self._visible(guild_id)
        if len(scopes) == 1:
            return [item.value for item in scopes[0].by_age]
        own, shared = scopes
        unshadowed = (item for item in shared.by_age if item.value.slug not in own.slugs)
        return [item.value for item in heapq.merge(own.by_age, unshadowed, key=lambda item: item.id)]

    def replaced(
        self, guild_ids: Iterable[int], items: Iterable[tuple[int, int, T, str, Sequence[str], Sequence[str]]]
    ) -> NameIndex[T]:
        """A copy whose scopes `guild_ids` hold just `items`; every other scope is shared, not rebuilt."""
        changed = set(guild_ids)
        fresh = NameIndex(self.kind, items)
        out: NameIndex[T] = NameIndex(self.kind, ())
        out._scopes = {g: scope for g, scope in self._scopes.items() if g not in changed}
        out._scopes.update((g, scope) for g, scope in fresh._scopes.items() if g in changed)
        out._by_id = dict(self._by_id)
        for g in changed & self._scopes.keys():
            for item in self._scopes[g].items:
                out._by_id.pop(item.id, None)
        out._by_id.update(fresh._by_id)
        return out

    def resolve(self, guild_id: int | None, given: str) -> tuple[int, T]:
        """The (id, item) whose slug, name or alias is `given`, else the one item with `given` as a
        word of its name; Ambiguous when several names have that word, NotFound with suggestions
        when none has."""
        key = _norm(given)
        scopes = self._visible(guild_id)
        found = [(rank, scope.items[idx]) for scope in scopes for rank, idx in scope.exactly(key)]
        # A slug or full name first, in any scope the server sees, then an alias: "b" is the item
        # named "b", not "a b"; the server's own item first among equals.
        for rank, item in found:
            if rank == 0:
                return item.id, item.value
        for _, item in found:
            if key in _aliases(item.value):
                return item.id, item.value
        # A word of a name names an item only when no other visible item's name has it: "ukraine"
        # is in four topic titles, and opening the first by name would answer another question.
        # A global item whose slug the server's own item also has is hidden from that server.
        hidden = scopes[0].slugs if len(scopes) > 1 else frozenset()
        by_slug: dict[str, _Item[T]] = {}
        for _, item in found:
            if item.value.guild_id == guild_id or item.value.slug not in hidden:
                by_slug.setdefault(item.value.slug, item)  # once, though a name may repeat a word
        if len(by_slug) == 1:
            (item,) = by_slug.values()
            return item.id, item.value
        if by_slug:
            ordered = sorted(by_slug.values(), key=lambda it: it.label.lower())
            raise Ambiguous(self.kind, given, [(it.value.slug, it.label) for it in ordered])
        raise NotFound(self.kind, given, self.suggest(guild_id, given))

    def taken(self, guild_id: int | None, key: str) -> T | None:
        """The item visible to the server whose slug, name or alias is `key` (a word of a name does
        not count): a new item may not take it as its slug."""
        return next(self._called(guild_id, _norm(key)), None)

    def _called(self, guild_id: int | None, key: str) -> Iterator[T]:
        """The visible items whose slug, full name or alias is `key` (normalised), the server's
        own first; a word of a name does not count."""
        for scope in self._visible(guild_id):
            for rank, idx in scope.exactly(key):
                value = scope.items[idx].value
                if rank == 0 or key in _aliases(value):
                    yield value

    def complete(self, guild_id: int | None, current: str, limit: int = MAX_CHOICES) -> list[tuple[str, str]]:
        """Up to `limit` (label, slug) choices: prefix of slug/name, then alias/word prefix, then substring."""
        q = _norm(current)
        scopes = self._visible(guild_id)
        ranked: dict[str, tuple[int, str, str]] = {}
        if not q:
            for scope in scopes:
                for item in scope.items[: limit * 2]:
                    ranked.setdefault(item.value.slug, (0, item.label.lower(), item.label))
        else:
            for scope in scopes:
                for idx, rank in scope.prefixed(q, limit).items():
                    item = scope.items[idx]
                    prev = ranked.get(item.value.slug)
                    if prev is None or prev[0] > rank:
                        ranked[item.value.slug] = (rank, item.label.lower(), item.label)
            if len(ranked) < limit and len(q) >= 2:
                for scope in scopes:
                    for idx in scope.containing(q):
                        item = scope.items[idx]
                        if item.value.slug not in ranked:
                            ranked[item.value.slug] = (2, item.label.lower(), item.label)
                            if len(ranked) >= limit:
                                break
        best = sorted(ranked.items(), key=lambda kv: kv[1][:2])[:limit]
        return [(_choice_label(label, slug), slug) for slug, (_, _, label) in best]

    def named(self, guild_id: int | None, text: str, limit: int = 2) -> list[T]:
        """Up to `limit` items that `text` names: an alias exactly, or a slug or name starting with
        it (MIN_NAMED characters or more; the whole of a shorter one); exact ones first, then by
        name. For pointing a search at the structured answer; unlike `resolve` and `complete`, a word
        of a name is not enough."""
        q = _norm(text)
        found: dict[str, T] = {}
        for value in self._called(guild_id, q):
            found.setdefault(value.slug, value)
        if len(q) >= MIN_NAMED:
            for scope in self._visible(guild_id):
                for idx, rank in scope.prefixed(q, limit).items():
                    if rank == 0 and len(found) < limit:
                        found.setdefault(scope.items[idx].value.slug, scope.items[idx].value)
        return list(found.values())[:limit]

    def suggest(self, guild_id: int | None, given: str, n: int = 5) -> list[str]:
        """Slugs close to `given`, for "did you mean" replies."""
        q = _norm(given)
        if not q:
            return []
        candidates: dict[str, str] = {}
        for scope in self._visible(guild_id):
            for item in scope.items:
                for key in item.primary + item.secondary:
                    candidates.setdefault(key, item.value.slug)
        # Only close ones: a name starting with what was typed (2+ characters), or a near spelling.
        # A loose rule ("contains") offered unrelated names, e.g. every name with an "a" for "a".
        out: list[str] = []
        if len(q) >= MIN_PREFIX:
            for slug in (s for k, s in candidates.items() if k.startswith(q)):
                if slug not in out:
                    out.append(slug)
        for key in difflib.get_close_matches(q, list(candidates), n=n * 2, cutoff=CLOSE_RATIO):
            if candidates[key] not in out:
                out.append(candidates[key])
        return out[:n]


MIN_PREFIX = 2  # characters typed before names starting with them are suggested
CLOSE_RATIO = 0.8  # difflib similarity from which a name counts as a near spelling
MIN_NAMED = 3  # characters of a search that must begin a name for it to count as naming it


def _norm(text: str) -> str:
    return " ".join(text.lower().split())[:100]


def _aliases(value: Actor | Topic) -> list[str]:
    return [_norm(alias) for alias in value.aliases] if isinstance(value, Actor) else []


def _label(value: Actor | Topic) -> str:
    return value.name if isinstance(value, Actor) else value.title


def _sort_key(value: Actor | Topic) -> str:
    return _label(value).lower()


def _choice_label(label: str, slug: str) -> str:
    text = f"{label} ({slug})"
    return text if len(text) <= 100 else text[:99] + "…"


def _actor_entry(row: ActorRow) -> tuple[int, int, Actor, str, list[str], list[str]]:
    actor = Actor(
        slug=row.slug,
        name=row.name,
        kind=ActorKind(row.kind),
        aliases=tuple(row.aliases or ()),
        guild_id=row.guild_id,
    )
    name = _norm(row.name)
    words = [w for w in name.split() if w != name]
    return (
        row.id,
        row.guild_id,
        actor,
        row.name,
        [row.slug, name],
        [*(_norm(a) for a in actor.aliases), *words],
    )


def _topic_entry(row: TopicRow) -> tuple[int, int, Topic, str, list[str], list[str]]:
    topic = Topic(slug=row.slug, title=row.title, summary=row.summary or "", guild_id=row.guild_id)
    title = _norm(row.title)
    words = [w for w in title.split() if w != title and len(w) > 2]
    return row.id, row.guild_id, topic, row.title, [row.slug, title], words


@dataclass(frozen=True, slots=True)
class CatalogSnapshot:
    """Actors and topics as of one catalog version (and the content version seen with it)."""

    version: str
    actors: NameIndex[Actor]
    topics: NameIndex[Topic]
    content: str = "0"
    scopes: Mapping[str, str] = field(default_factory=dict)  # SCOPE_VERSION_PREFIX + scope → version
    _known: list[KnownNames] = field(default_factory=list, compare=False, repr=False)

    def known_names(self, guild_id: int | None) -> KnownNames:
        """The actors and topics a server (or the global scope, for None) sees, indexed for
        `validate`: the global ones once per snapshot, a server's own laid over them per call."""
        if not self._known:
            self._known.append(KnownNames(self.actors.own(GLOBAL_SCOPE), self.topics.own(GLOBAL_SCOPE)))
        known = self._known[0]
        if guild_id and guild_id != GLOBAL_SCOPE:
            return known.layered(self.actors.own(guild_id), self.topics.own(guild_id))
        return known

    @property
    def store_version(self) -> tuple[str, str]:
        """Changes whenever anything a reader sees changed: the key of every cached answer."""
        return (self.version, self.content)


class Catalog:
    """Keeps a CatalogSnapshot fresh: re-read when the stored version changes, checked every `ttl` s."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        ttl: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._clock = clock
        self._snapshot: CatalogSnapshot | None = None
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        """Force a version check on the next read (after this process wrote actors or topics)."""
        self._checked_at = float("-inf")

    async def get(self) -> CatalogSnapshot:
        """The current snapshot, re-read if stale."""
        snap = self._snapshot
        if snap is not None and self._clock() - self._checked_at < self._ttl:
            return snap
        async with self._lock:
            if self._snapshot is not None and self._clock() - self._checked_at < self._ttl:
                return self._snapshot
            async with self._sessions() as session:
                meta = await session.execute(
                    select(MetaRow.key, MetaRow.value).where(
                        MetaRow.key.in_((CATALOG_VERSION_KEY, CONTENT_VERSION_KEY))
                    )
                )
                stored: dict[str, str] = dict(meta.all())
                version = stored.get(CATALOG_VERSION_KEY) or "0"
                content = stored.get(CONTENT_VERSION_KEY) or "0"
                if self._snapshot is None or self._snapshot.version != version:
                    self._snapshot = await self._load(session, version, content)
                elif self._snapshot.content != content:
                    self._snapshot = dataclasses.replace(self._snapshot, content=content)
            self._checked_at = self._clock()
            return self._snapshot

    async def _load(self, session: AsyncSession, version: str, content: str) -> CatalogSnapshot:
        """The snapshot at `version`: only the changed scopes re-read when that is known, else all."""
        rows = await session.execute(
            select(MetaRow.key, MetaRow.value).where(
                MetaRow.key.startswith(SCOPE_VERSION_PREFIX, autoescape=True)
            )
        )
        scopes: dict[str, str] = dict(rows.all())
        old = self._snapshot
        changed = [] if old is None else [k for k, v in scopes.items() if old.scopes.get(k) != v]
        guild_ids = _guild_ids(changed)
        if old is None or guild_ids is None:  # first load, or not known what changed
            actors = (await session.scalars(select(ActorRow))).all()
            topics = (await session.scalars(select(TopicRow))).all()
            return CatalogSnapshot(
                version=version,
                actors=NameIndex("actor", (_actor_entry(r) for r in actors)),
                topics=NameIndex("topic", (_topic_entry(r) for r in topics)),
                content=content,
                scopes=scopes,
            )
        actors = (await session.scalars(select(ActorRow).where(ActorRow.guild_id.in_(guild_ids)))).all()
        topics = (await session.scalars(select(TopicRow).where(TopicRow.guild_id.in_(guild_ids)))).all()
        return CatalogSnapshot(
            version=version,
            actors=old.actors.replaced(guild_ids, (_actor_entry(r) for r in actors)),
            topics=old.topics.replaced(guild_ids, (_topic_entry(r) for r in topics)),
            content=content,
            scopes=scopes,
        )


def _guild_ids(changed_keys: Sequence[str]) -> list[int] | None:
    """The scopes named by changed scope-version rows; None if that says nothing precise.

    No changed row (a version bumped by code that does not name its scope) or the "*" row
    means anything may have changed: the whole catalog is re-read.
    """
    if not changed_keys:
        return None
    ids = []
    for key in changed_keys:
        scope = key.removeprefix(SCOPE_VERSION_PREFIX)
        if not scope.isdigit():
            return None
        ids.append(int(scope))
    return ids
