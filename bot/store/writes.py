"""Writes: idempotent import of curated datasets (upsert by stable id), each in one transaction.

Every change appends an audit row in the same transaction and refreshes the search index.
A write into one server's scope can never touch a global entry or another server's entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dataset.problems import Problem
from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.dataset.validate import validate
from bot.db.models import (
    ActorRow,
    AuditRow,
    EventActorRow,
    EventRow,
    EventTopicRow,
    MetaRow,
    PositionRow,
    TopicRow,
    utcnow,
)
from bot.db.search import SearchBackend, SearchDoc
from bot.domain import GLOBAL_SCOPE, Actor, Topic
from bot.store.catalog import CATALOG_VERSION_KEY, Catalog
from bot.store.convert import source_to_dict


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


IMPORT_LOCK_KEY = 0x42_52_49_46  # an arbitrary constant naming the import advisory lock


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back."""


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


class _ImportTx:
    """One import inside one open transaction."""

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

    def problem(self, ds: Dataset, section: str, index: int, fld: str, reason: str) -> None:
        origin = ds.origin(section, index)  # type: ignore[arg-type]
        self.report.problems.append(Problem(file=origin.file, entry=origin.entry, field=fld, reason=reason))

    def audit(self, kind: str, entry_id: str, action: str, before: Any, after: Any) -> None:
        self.s.add(
            AuditRow(
                guild_id=self.guild_id,
                entry_kind=kind,
                entry_id=entry_id,
                action=action,
                user_id=self.user_id,
                before=before,
                after=after,
                reason=self.reason,
            )
        )

    async def load_visible_names(self) -> None:
        scopes = {GLOBAL_SCOPE, self.guild_id}
        for row in await self.s.scalars(select(ActorRow).where(ActorRow.guild_id.in_(scopes))):
            if row.guild_id == self.guild_id or row.slug not in self.actor_ids:
                self.actor_ids[row.slug] = row.id
                self.actor_names[row.slug] = row.name
        for row in await self.s.scalars(select(TopicRow).where(TopicRow.guild_id.in_(scopes))):
            if row.guild_id == self.guild_id or row.slug not in self.topic_ids:
                self.topic_ids[row.slug] = row.id
                self.topic_titles[row.slug] = row.title

    async def _upsert_named(
        self,
        ds: Dataset,
        section: str,
        index: int,
        model: type[ActorRow] | type[TopicRow],
        slug: str,
        new: dict[str, Any],
    ) -> ActorRow | TopicRow | None:
        """Insert or update one actor/topic of this scope by slug; None if refused (a global one)."""
        kind = section[:-1]
        rows = (await self.s.scalars(select(model).where(model.slug == slug))).all()
        mine = next((r for r in rows if r.guild_id == self.guild_id), None)
        if mine is None:
            shared = next(
                (r for r in rows if r.guild_id == GLOBAL_SCOPE and self.guild_id != GLOBAL_SCOPE), None
            )
            if shared is not None:
                if {k: _plain(getattr(shared, k)) for k in new} == new:
                    self.report.unchanged += 1
                else:
                    self.problem(
                        ds, section, index, "slug", f"{slug!r} is a global {kind}; a server cannot change it"
                    )
                return None
            row = model(guild_id=self.guild_id, slug=slug, **new)
            self.s.add(row)
            await self.s.flush()
            self.audit(kind, slug, "create", None, new)
            self.report.added.append(f"{kind} {slug}")
            self.catalog_changed = True
            return row
        old = {k: _plain(getattr(mine, k)) for k in new}
        if old == new:
            self.report.unchanged += 1
            return mine
        for key, value in new.items():
            setattr(mine, key, value)
        mine.updated_at = utcnow()
        self.audit(kind, slug, "update", old, new)
        self.report.changed.append(f"{kind} {slug}")
        self.catalog_changed = True
        return mine

    async def actors(self, ds: Dataset) -> None:
        for i, actor in enumerate(ds.actors):
            row = await self._upsert_named(ds, "actors", i, ActorRow, actor.slug, actor_values(actor))
            if isinstance(row, ActorRow):
                self.actor_ids[actor.slug] = row.id
                self.actor_names[actor.slug] = row.name

    async def topics(self, ds: Dataset) -> None:
        for i, topic in enumerate(ds.topics):
            row = await self._upsert_named(ds, "topics", i, TopicRow, topic.slug, topic_values(topic))
            if isinstance(row, TopicRow):
                self.topic_ids[topic.slug] = row.id
                self.topic_titles[topic.slug] = row.title

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

    async def _owned(
        self, ds: Dataset, section: str, i: int, model: type[PositionRow] | type[EventRow], entry_id: str
    ):  # type: ignore[no-untyped-def]
        """The existing row for `entry_id` if this scope owns it; None if new; False if someone else owns it."""
        row = await self.s.get(model, entry_id)
        if row is not None and row.guild_id != self.guild_id:
            self.problem(
                ds, section, i, "id", f"{entry_id!r} is already used by an entry this server cannot change"
            )
            return False
        other = PositionRow if model is EventRow else EventRow
        if await self.s.get(other, entry_id) is not None:
            self.problem(ds, section, i, "id", f"{entry_id!r} is already used by another entry")
            return False
        return row

    async def positions(self, ds: Dataset) -> None:
        for i, p in enumerate(ds.positions):
            if not self._refs_ok(ds, "positions", i, [p.actor], [p.topic]):
                continue
            row = await self._owned(ds, "positions", i, PositionRow, p.id)
            if row is False:
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
                self.s.add(PositionRow(id=p.id, guild_id=self.guild_id, **cols))
                self.audit("position", p.id, "create", None, new)
                self.report.added.append(f"position {p.id}")
            else:
                old = self._position_row_values(row)
                if old == new:
                    self.report.unchanged += 1
                    continue
                for k, v in cols.items():
                    setattr(row, k, v)
                row.updated_at = utcnow()
                self.audit("position", p.id, "update", old, new)
                self.report.changed.append(f"position {p.id}")
            await self.search.put(self.s, self.position_doc(p))

    def _position_row_values(self, row: PositionRow) -> dict[str, Any]:
        slug_by_actor = {v: k for k, v in self.actor_ids.items()}
        slug_by_topic = {v: k for k, v in self.topic_ids.items()}
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

    async def events(self, ds: Dataset) -> None:
        for i, e in enumerate(ds.events):
            if not self._refs_ok(ds, "events", i, e.actors, e.topics):
                continue
            row = await self._owned(ds, "events", i, EventRow, e.id)
            if row is False:
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
                self.s.add(EventRow(id=e.id, guild_id=self.guild_id, **cols))
                await self.s.flush()
                self.audit("event", e.id, "create", None, new)
                self.report.added.append(f"event {e.id}")
            else:
                old = await self._event_row_values(row)
                if old == new:
                    self.report.unchanged += 1
                    continue
                for k, v in cols.items():
                    setattr(row, k, v)
                row.updated_at = utcnow()
                await self.s.execute(delete(EventActorRow).where(EventActorRow.event_id == e.id))
                await self.s.execute(delete(EventTopicRow).where(EventTopicRow.event_id == e.id))
                self.audit("event", e.id, "update", old, new)
                self.report.changed.append(f"event {e.id}")
            self.s.add_all(EventActorRow(event_id=e.id, actor_id=self.actor_ids[a]) for a in set(e.actors))
            self.s.add_all(EventTopicRow(event_id=e.id, topic_id=self.topic_ids[t]) for t in set(e.topics))
            await self.search.put(self.s, self.event_doc(e))

    async def _event_row_values(self, row: EventRow) -> dict[str, Any]:
        slug_by_actor = {v: k for k, v in self.actor_ids.items()}
        slug_by_topic = {v: k for k, v in self.topic_ids.items()}
        a_ids = (
            await self.s.scalars(select(EventActorRow.actor_id).where(EventActorRow.event_id == row.id))
        ).all()
        t_ids = (
            await self.s.scalars(select(EventTopicRow.topic_id).where(EventTopicRow.event_id == row.id))
        ).all()
        return {
            "date": _iso(row.occurred_on, row.precision),
            "title": row.title,
            "summary": row.summary,
            "actors": sorted(slug_by_actor.get(a, "") for a in a_ids),
            "topics": sorted(slug_by_topic.get(t, "") for t in t_ids),
            "status": row.status,
            "status_note": row.status_note or "",
            "sources": list(row.sources or []),
        }

    def position_doc(self, p: PositionRecord) -> SearchDoc:
        actor, topic = self.actor_names.get(p.actor, p.actor), self.topic_titles.get(p.topic, p.topic)
        body = " ".join([p.summary, *p.key_points, p.quote, p.speaker, p.status_note, p.stance.value])
        return SearchDoc(p.id, self.guild_id, "position", f"{actor} on {topic}", body)

    def event_doc(self, e: EventRecord) -> SearchDoc:
        names = [self.actor_names.get(a, a) for a in e.actors] + [
            self.topic_titles.get(t, t) for t in e.topics
        ]
        return SearchDoc(e.id, self.guild_id, "event", e.title, " ".join([e.summary, e.status_note, *names]))


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


async def bump_catalog_version(session: AsyncSession) -> None:
    """Mark actors/topics as changed so every process re-reads its catalog."""
    await session.merge(MetaRow(key=CATALOG_VERSION_KEY, value=uuid.uuid4().hex))


class Writes:
    """The write side of the store."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], catalog: Catalog, search_backend: SearchBackend
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._search = search_backend

    async def reindex(self, session: AsyncSession, ds: Dataset, guild_id: int) -> None:
        """Put the positions and events of `ds` (already stored in `guild_id`) back into the search index."""
        tx = _ImportTx(session, self._search, guild_id, 0, "")
        await tx.load_visible_names()
        for p in ds.positions:
            await self._search.put(session, tx.position_doc(p))
        for e in ds.events:
            await self._search.put(session, tx.event_doc(e))

    async def import_dataset(
        self,
        ds: Dataset,
        *,
        guild_id: int = GLOBAL_SCOPE,
        user_id: int = 0,
        dry_run: bool = False,
        reason: str = "import",
    ) -> ImportReport:
        """Upsert every entry of `ds` into one scope in one transaction; nothing is written on any problem."""
        snap = await self._catalog.get()
        visible = guild_id or None
        problems = validate(ds, snap.actors.all(visible), snap.topics.all(visible))
        if problems:
            return ImportReport(problems=problems)
        tx: _ImportTx | None = None
        try:
            async with self._sessions() as session, session.begin():
                conn = await session.connection(execution_options={"sqlite_immediate": True})
                if conn.dialect.name == "postgresql":  # one import at a time (e.g. two processes seeding)
                    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": IMPORT_LOCK_KEY})
                tx = _ImportTx(session, self._search, guild_id, user_id, reason)
                await tx.load_visible_names()
                await tx.actors(ds)
                await tx.topics(ds)
                await tx.positions(ds)
                await tx.events(ds)
                if tx.report.problems or dry_run:
                    raise _Rejected
                if tx.catalog_changed:
                    await bump_catalog_version(session)
        except _Rejected:
            assert tx is not None
            return tx.report
        assert tx is not None
        tx.report.applied = True
        # Even an import that changed nothing may have waited for another process's: re-check.
        self._catalog.invalidate()
        return tx.report
