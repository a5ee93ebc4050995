"""One import inside one open transaction, in bulk: existing rows are read in chunks, new rows are
inserted with executemany, and only changed rows go through the ORM. (Row-by-row lookups and
flushes made a 100,000-event import take tens of minutes.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dataset.problems import Problem
from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.db.models import (
    ActorRow,
    AuditRow,
    EventActorRow,
    EventRow,
    EventTopicRow,
    PositionRow,
    TopicRow,
    utcnow,
)
from bot.db.search import SearchBackend, SearchDoc
from bot.domain import GLOBAL_SCOPE, Actor, Topic
from bot.store.convert import source_to_dict

CHUNK = 500  # ids per IN (...) query: well below SQLite's and asyncpg's parameter limits

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def actor_values(a: Actor) -> dict[str, Any]:
    return {"name": a.name, "kind": a.kind.value, "aliases": list(a.aliases)}


def topic_values(t: Topic) -> dict[str, Any]:
    return {"title": t.title, "summary": t.summary}


def position_values(p: PositionRecord) -> dict[str, Any]:
    """The stored fields of a position record, in the form the audit log keeps."""
    return {
        "actor": p.actor,
        "topic": p.topic,
        "stance": p.stance.value,
        "summary": p.summary,
        "key_points": list(p.key_points),
        "quote": p.quote,
        "speaker": p.speaker,
        "date": p.stated.iso(),
        "status": p.status.value,
        "status_note": p.status_note,
        "sources": [source_to_dict(s) for s in p.sources],
    }


def event_values(e: EventRecord) -> dict[str, Any]:
    """The stored fields of an event record, in the form the audit log keeps."""
    return {
        "date": e.date.iso(),
        "title": e.title,
        "summary": e.summary,
        "actors": sorted(e.actors),
        "topics": sorted(e.topics),
        "status": e.status.value,
        "status_note": e.status_note,
        "sources": [source_to_dict(s) for s in e.sources],
    }


def _plain(value: Any) -> Any:
    """A column value as the audit log and comparisons see it (JSON lists copied, None as empty)."""
    if isinstance(value, list):
        return list(value)
    return "" if value is None else value


def _iso(d: Any, precision: str) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return str(d.isoformat())


class ImportTx:
    """Upserts one dataset into one scope within the caller's transaction."""

    def __init__(
        self, session: AsyncSession, search: SearchBackend, guild_id: int, user_id: int, reason: str
    ) -> None:
        self.s = session
        self.search = search
        self.guild_id = guild_id
        self.user_id = user_id
        self.reason = reason
        self.report = ImportReport()
        self.actor_ids: dict[str, int] = {}
        self.topic_ids: dict[str, int] = {}
        self.actor_names: dict[str, str] = {}
        self.topic_titles: dict[str, str] = {}
        self.catalog_changed = False
        self._audits: list[dict[str, Any]] = []
        self._docs: list[SearchDoc] = []

    # -- bookkeeping -------------------------------------------------------------------------

    def problem(self, ds: Dataset, section: str, index: int, fld: str, reason: str) -> None:
        origin = ds.origin(section, index)  # type: ignore[arg-type]
        self.report.problems.append(Problem(file=origin.file, entry=origin.entry, field=fld, reason=reason))

    def audit(self, kind: str, entry_id: str, action: str, before: Any, after: Any) -> None:
        self._audits.append(
            {
                "guild_id": self.guild_id,
                "entry_kind": kind,
                "entry_id": entry_id,
                "action": action,
                "user_id": self.user_id,
                "at": utcnow(),
                "before": before,
                "after": after,
                "reason": self.reason,
            }
        )

    async def run(self, ds: Dataset) -> ImportReport:
        """Every section, then the audit rows and the search index, in bulk."""
        await self.load_visible_names()
        await self.named(ds, "actors", ActorRow, [(a.slug, actor_values(a)) for a in ds.actors])
        await self.named(ds, "topics", TopicRow, [(t.slug, topic_values(t)) for t in ds.topics])
        await self.positions(ds)
        await self.events(ds)
        if not self.report.problems:
            await self.flush_side_tables()
        return self.report

    async def flush_side_tables(self) -> None:
        """Write the collected audit rows and search documents."""
        for part in chunks(self._audits):
            await self.s.execute(insert(AuditRow), list(part))
        await self.search.put_many(self.s, self._docs)

    async def load_visible_names(self) -> None:
        scopes = {GLOBAL_SCOPE, self.guild_id}
        for row in await self.s.execute(
            select(ActorRow.id, ActorRow.guild_id, ActorRow.slug, ActorRow.name).where(
                ActorRow.guild_id.in_(scopes)
            )
        ):
            if row.guild_id == self.guild_id or row.slug not in self.actor_ids:
                self.actor_ids[row.slug] = row.id
                self.actor_names[row.slug] = row.name
        for row in await self.s.execute(
            select(TopicRow.id, TopicRow.guild_id, TopicRow.slug, TopicRow.title).where(
                TopicRow.guild_id.in_(scopes)
            )
        ):
            if row.guild_id == self.guild_id or row.slug not in self.topic_ids:
                self.topic_ids[row.slug] = row.id
                self.topic_titles[row.slug] = row.title

    # -- actors and topics -------------------------------------------------------------------

    async def named(
        self,
        ds: Dataset,
        section: str,
        model: type[ActorRow] | type[TopicRow],
        items: list[tuple[str, dict[str, Any]]],
    ) -> None:
        """Insert or update actors/topics of this scope by slug; a global one is refused for a server."""
        kind = section[:-1]
        existing: dict[tuple[int, str], ActorRow | TopicRow] = {}
        for part in chunks([slug for slug, _ in items]):
            for row in await self.s.scalars(
                select(model).where(model.slug.in_(part), model.guild_id.in_({GLOBAL_SCOPE, self.guild_id}))
            ):
                existing[(row.guild_id, row.slug)] = row
        touched: list[ActorRow | TopicRow] = []
        for index, (slug, new) in enumerate(items):
            mine = existing.get((self.guild_id, slug))
            shared = existing.get((GLOBAL_SCOPE, slug)) if self.guild_id != GLOBAL_SCOPE else None
            if mine is None and shared is not None:
                if {k: _plain(getattr(shared, k)) for k in new} == new:
                    self.report.unchanged += 1
                else:
                    self.problem(
                        ds, section, index, "slug", f"{slug!r} is a global {kind}; a server cannot change it"
                    )
                continue
            if mine is None:
                row = model(guild_id=self.guild_id, slug=slug, **new)
                self.s.add(row)
                touched.append(row)
                self.audit(kind, slug, "create", None, new)
                self.report.added.append(f"{kind} {slug}")
                self.catalog_changed = True
                continue
            old = {k: _plain(getattr(mine, k)) for k in new}
            if old == new:
                self.report.unchanged += 1
            else:
                for key, value in new.items():
                    setattr(mine, key, value)
                mine.updated_at = utcnow()
                self.audit(kind, slug, "update", old, new)
                self.report.changed.append(f"{kind} {slug}")
                self.catalog_changed = True
            touched.append(mine)
        await self.s.flush()  # one flush gives every new row its id
        for row in touched:
            if isinstance(row, ActorRow):
                self.actor_ids[row.slug], self.actor_names[row.slug] = row.id, row.name
            else:
                self.topic_ids[row.slug], self.topic_titles[row.slug] = row.id, row.title

    # -- positions and events ------------------------------------------------------------------

    async def _existing(self, model: type[PositionRow] | type[EventRow], ids: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for part in chunks(ids):
            for row in await self.s.scalars(select(model).where(model.id.in_(part))):
                found[row.id] = row
        return found

    async def _ids_in(self, model: type[PositionRow] | type[EventRow], ids: list[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(ids):
            found.update(await self.s.scalars(select(model.id).where(model.id.in_(part))))
        return found

    def _refs_ok(
        self, ds: Dataset, section: str, i: int, actors: Sequence[str], topics: Sequence[str]
    ) -> bool:
        ok = True
        for slug in actors:
            if slug not in self.actor_ids:
                self.problem(
                    ds, section, i, "actor" if section == "positions" else "actors", f"unknown actor {slug!r}"
                )
                ok = False
        for slug in topics:
            if slug not in self.topic_ids:
                self.problem(
                    ds, section, i, "topic" if section == "positions" else "topics", f"unknown topic {slug!r}"
                )
                ok = False
        return ok

    def _owned(
        self, ds: Dataset, section: str, i: int, entry_id: str, row: Any, taken_elsewhere: set[str]
    ) -> bool:
        if row is not None and row.guild_id != self.guild_id:
            self.problem(
                ds, section, i, "id", f"{entry_id!r} is already used by an entry this server cannot change"
            )
            return False
        if entry_id in taken_elsewhere:
            self.problem(ds, section, i, "id", f"{entry_id!r} is already used by another entry")
            return False
        return True

    async def positions(self, ds: Dataset) -> None:
        ids = [p.id for p in ds.positions]
        existing = await self._existing(PositionRow, ids)
        taken = await self._ids_in(EventRow, ids)
        slug_by_actor = {v: k for k, v in self.actor_ids.items()}
        slug_by_topic = {v: k for k, v in self.topic_ids.items()}
        fresh: list[dict[str, Any]] = []
        now = utcnow()
        for i, p in enumerate(ds.positions):
            if not self._refs_ok(ds, "positions", i, [p.actor], [p.topic]):
                continue
            row = existing.get(p.id)
            if not self._owned(ds, "positions", i, p.id, row, taken):
                continue
            new = position_values(p)
            cols = {
                "actor_id": self.actor_ids[p.actor],
                "topic_id": self.topic_ids[p.topic],
                "stance": p.stance.value,
                "summary": p.summary,
                "key_points": list(p.key_points),
                "quote": p.quote,
                "speaker": p.speaker,
                "stated_on": p.stated.value,
                "precision": p.stated.precision,
                "status": p.status.value,
                "status_note": p.status_note,
                "sources": new["sources"],
            }
            if row is None:
                fresh.append(
                    {"id": p.id, "guild_id": self.guild_id, "created_at": now, "updated_at": now, **cols}
                )
                self.audit("position", p.id, "create", None, new)
                self.report.added.append(f"position {p.id}")
            else:
                old = _position_row_values(row, slug_by_actor, slug_by_topic)
                if old == new:
                    self.report.unchanged += 1
                    continue
                for k, v in cols.items():
                    setattr(row, k, v)
                row.updated_at = now
                self.audit("position", p.id, "update", old, new)
                self.report.changed.append(f"position {p.id}")
            self._docs.append(self.position_doc(p))
        if not self.report.problems:
            for part in chunks(fresh):
                await self.s.execute(insert(PositionRow), list(part))

    async def events(self, ds: Dataset) -> None:
        ids = [e.id for e in ds.events]
        existing = await self._existing(EventRow, ids)
        taken = await self._ids_in(PositionRow, ids)
        links = await self._event_links(list(existing))
        fresh: list[dict[str, Any]] = []
        relinked: list[str] = []
        actor_links: list[dict[str, Any]] = []
        topic_links: list[dict[str, Any]] = []
        now = utcnow()
        for i, e in enumerate(ds.events):
            if not self._refs_ok(ds, "events", i, e.actors, e.topics):
                continue
            row = existing.get(e.id)
            if not self._owned(ds, "events", i, e.id, row, taken):
                continue
            new = event_values(e)
            cols = {
                "occurred_on": e.date.value,
                "precision": e.date.precision,
                "title": e.title,
                "summary": e.summary,
                "status": e.status.value,
                "status_note": e.status_note,
                "sources": new["sources"],
            }
            if row is None:
                fresh.append(
                    {"id": e.id, "guild_id": self.guild_id, "created_at": now, "updated_at": now, **cols}
                )
                self.audit("event", e.id, "create", None, new)
                self.report.added.append(f"event {e.id}")
            else:
                old = _event_row_values(row, *links.get(e.id, ([], [])))
                if old == new:
                    self.report.unchanged += 1
                    continue
                for k, v in cols.items():
                    setattr(row, k, v)
                row.updated_at = now
                relinked.append(e.id)
                self.audit("event", e.id, "update", old, new)
                self.report.changed.append(f"event {e.id}")
            actor_links += ({"event_id": e.id, "actor_id": self.actor_ids[a]} for a in sorted(set(e.actors)))
            topic_links += ({"event_id": e.id, "topic_id": self.topic_ids[t]} for t in sorted(set(e.topics)))
            self._docs.append(self.event_doc(e))
        if self.report.problems:
            return
        for part in chunks(relinked):
            await self.s.execute(delete(EventActorRow).where(EventActorRow.event_id.in_(part)))
            await self.s.execute(delete(EventTopicRow).where(EventTopicRow.event_id.in_(part)))
        for part in chunks(fresh):
            await self.s.execute(insert(EventRow), list(part))
        for part in chunks(actor_links):
            await self.s.execute(insert(EventActorRow), list(part))
        for part in chunks(topic_links):
            await self.s.execute(insert(EventTopicRow), list(part))

    async def _event_links(self, ids: list[str]) -> dict[str, tuple[list[str], list[str]]]:
        """Actor and topic slugs of existing events, for comparison."""
        slug_by_actor = {v: k for k, v in self.actor_ids.items()}
        slug_by_topic = {v: k for k, v in self.topic_ids.items()}
        actors: dict[str, list[str]] = defaultdict(list)
        topics: dict[str, list[str]] = defaultdict(list)
        for part in chunks(ids):
            for ev, a in await self.s.execute(
                select(EventActorRow.event_id, EventActorRow.actor_id).where(EventActorRow.event_id.in_(part))
            ):
                actors[ev].append(slug_by_actor.get(a, ""))
            for ev, t in await self.s.execute(
                select(EventTopicRow.event_id, EventTopicRow.topic_id).where(EventTopicRow.event_id.in_(part))
            ):
                topics[ev].append(slug_by_topic.get(t, ""))
        return {i: (actors[i], topics[i]) for i in ids}

    # -- search documents --------------------------------------------------------------------

    def position_doc(self, p: PositionRecord) -> SearchDoc:
        actor, topic = self.actor_names.get(p.actor, p.actor), self.topic_titles.get(p.topic, p.topic)
        body = " ".join([p.summary, *p.key_points, p.quote, p.speaker, p.status_note, p.stance.value])
        return SearchDoc(p.id, self.guild_id, "position", f"{actor} on {topic}", body)

    def event_doc(self, e: EventRecord) -> SearchDoc:
        names = [self.actor_names.get(a, a) for a in e.actors] + [
            self.topic_titles.get(t, t) for t in e.topics
        ]
        return SearchDoc(e.id, self.guild_id, "event", e.title, " ".join([e.summary, e.status_note, *names]))


def _position_row_values(
    row: PositionRow, slug_by_actor: dict[int, str], slug_by_topic: dict[int, str]
) -> dict[str, Any]:
    return {
        "actor": slug_by_actor.get(row.actor_id, ""),
        "topic": slug_by_topic.get(row.topic_id, ""),
        "stance": row.stance,
        "summary": row.summary,
        "key_points": list(row.key_points or []),
        "quote": row.quote or "",
        "speaker": row.speaker or "",
        "date": _iso(row.stated_on, row.precision),
        "status": row.status,
        "status_note": row.status_note or "",
        "sources": list(row.sources or []),
    }


def _event_row_values(row: EventRow, actors: list[str], topics: list[str]) -> dict[str, Any]:
    return {
        "date": _iso(row.occurred_on, row.precision),
        "title": row.title,
        "summary": row.summary,
        "actors": sorted(actors),
        "topics": sorted(topics),
        "status": row.status,
        "status_note": row.status_note or "",
        "sources": list(row.sources or []),
    }
