"""One import inside one open transaction, in bulk, at a cost proportional to the imported dataset.

Nothing here reads the whole store: actor and topic ids are looked up only for the slugs the
dataset names, existing entries only for the dataset's ids (one query tells which ids exist and
where). New rows are inserted in bulk (executemany; COPY on PostgreSQL for large batches), only
changed positions and events go through the ORM, and the search index replaces the documents
only of entries that existed before (a new entry has no document: entries are never deleted).
(Row-by-row lookups and flushes made a 100,000-event import take tens of minutes; loading every
visible name for each import made a server's 30-entry import cost as much as the global store.)
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    bindparam,
    delete,
    exists,
    insert,
    literal,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dataset.problems import Problem
from bot.dataset.records import Dataset, EventRecord, PositionRecord, Section
from bot.db.bulk import INSERT_BATCH, chunks, foreign_keys_checked_after, prepare_bulk, write_bulk
from bot.db.models import (
    ActorRow,
    AuditRow,
    Base,
    EventActorRow,
    EventRow,
    EventTopicRow,
    PositionRow,
    TopicRow,
    table_of,
    utcnow,
)
from bot.db.search import SearchBackend, SearchDoc, event_search_doc, position_search_doc
from bot.domain import GLOBAL_SCOPE, Actor, FuzzyDate, Precision, Topic
from bot.errors import StaleEdit
from bot.store.convert import source_to_dict
from bot.store.entry_ids import candidates

EntryRow = TypeVar("EntryRow", PositionRow, EventRow)


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


# New rows in the order their foreign keys need: events before their links.
_NEW_ROW_TABLES = (PositionRow, EventRow, EventActorRow, EventTopicRow, AuditRow)
# Link rows from which a load into empty link tables checks their foreign keys after the load.
FIRST_LOAD_MIN_LINKS = 10_000


@dataclass(slots=True)
class CollectedRows:
    """What imports insert at their end, in bulk: new rows, audit rows and search documents.

    Nothing an import reads is among them (it reads existing entries, names and ids only), so
    they can wait for the import's end — or, for many servers' imports in one transaction, for
    the end of the last one: one bulk insert per table instead of one per table and server.
    """

    rows: dict[type[Base], list[dict[str, Any]]] = field(
        default_factory=lambda: {model: [] for model in _NEW_ROW_TABLES}
    )
    docs: list[SearchDoc] = field(default_factory=list)  # of entries that existed: replaced
    new_docs: list[SearchDoc] = field(default_factory=list)  # of new entries: added

    def extend(self, other: CollectedRows) -> None:
        """Add `other`'s rows and documents to these."""
        for model, rows in other.rows.items():
            self.rows[model] += rows
        self.docs += other.docs
        self.new_docs += other.new_docs

    async def write(self, session: AsyncSession, search: SearchBackend, *, rolled_back: bool = False) -> None:
        """Index the documents, then insert everything collected (the rows foreign keys point at first).

        `rolled_back`: the transaction will be rolled back (a dry run), so the search index is not
        merged after a large write: the merge would be undone with the rest, after up to a second.

        Indexing is the database's longest work of a large import (PostgreSQL computes every
        document's tsvector; SQLite's FTS5 tokenizes them on its own thread): meanwhile a worker
        thread turns the rows into the driver's records. The event links last: a first load into
        empty link tables on PostgreSQL adds their foreign keys back after them
        (bot.db.bulk.foreign_keys_checked_after), and the locks that takes are then held only for
        the links' COPY and the commit.
        """
        dialect = (await session.connection()).dialect
        tables = [(table_of(model), rows) for model, rows in self.rows.items()]
        prepared = asyncio.ensure_future(
            asyncio.to_thread(lambda: [prepare_bulk(dialect, table, rows) for table, rows in tables])
        )
        try:
            await search.put_many(session, self.docs)
            await search.add_many(session, self.new_docs)
            if not rolled_back:
                await search.after_bulk(session, len(self.docs) + len(self.new_docs))
        finally:
            bulks = {bulk.table: bulk for bulk in await prepared}  # a thread cannot be cancelled
        links = [table_of(model) for model in (EventActorRow, EventTopicRow)]
        for table, bulk in bulks.items():
            if table not in links:
                await write_bulk(session, bulk)
        first_load = sum(len(bulks[table].rows) for table in links) >= FIRST_LOAD_MIN_LINKS and not (
            await session.scalar(
                select(exists(select(EventActorRow.event_id)) | exists(select(EventTopicRow.event_id)))
            )
        )
        async with foreign_keys_checked_after(session, links if first_load else []):
            for table in links:
                await write_bulk(session, bulks[table])


def actor_values(a: Actor) -> dict[str, Any]:
    """The stored fields of an actor, in the form the audit log keeps."""
    return {"name": a.name, "kind": a.kind.value, "aliases": list(a.aliases)}


def topic_values(t: Topic) -> dict[str, Any]:
    """The stored fields of a topic, in the form the audit log keeps."""
    return {"title": t.title, "summary": t.summary}


def position_values(p: PositionRecord) -> dict[str, Any]:
    """The stored fields of a position record, in the form the audit log keeps."""
    return _position_audit(
        actor=p.actor,
        topic=p.topic,
        stance=p.stance.value,
        summary=p.summary,
        key_points=list(p.key_points),
        quote=p.quote,
        speaker=p.speaker,
        date=p.stated.iso(),
        status=p.status.value,
        status_note=p.status_note,
        verification=p.verification,
        gist=p.gist,
        sources=[source_to_dict(s) for s in p.sources],
    )


def event_values(e: EventRecord) -> dict[str, Any]:
    """The stored fields of an event record, in the form the audit log keeps."""
    return _event_audit(
        date=e.date.iso(),
        title=e.title,
        summary=e.summary,
        actors=e.actors,
        topics=e.topics,
        status=e.status.value,
        status_note=e.status_note,
        verification=e.verification,
        sources=[source_to_dict(s) for s in e.sources],
    )


def _position_audit(
    *,
    actor: str,
    topic: str,
    stance: str,
    summary: str,
    key_points: list[str],
    quote: str,
    speaker: str,
    date: str,
    status: str,
    status_note: str,
    verification: str | None,
    gist: str | None,
    sources: list[dict[str, str]],
) -> dict[str, Any]:
    """A position's audit form, from a record or a row alike (so the two compare equal when unchanged)."""
    return {
        "actor": actor,
        "topic": topic,
        "stance": stance,
        "summary": summary,
        "key_points": key_points,
        "quote": quote,
        "speaker": speaker,
        "date": date,
        "status": status,
        "status_note": status_note,
        **_verification_value(verification),
        **_gist_value(gist),
        "sources": sources,
    }


def _event_audit(
    *,
    date: str,
    title: str,
    summary: str,
    actors: Iterable[str],
    topics: Iterable[str],
    status: str,
    status_note: str,
    verification: str | None,
    sources: list[dict[str, str]],
) -> dict[str, Any]:
    """An event's audit form, from a record or a row alike (so the two compare equal when unchanged)."""
    return {
        "date": date,
        "title": title,
        "summary": summary,
        "actors": sorted(actors),
        "topics": sorted(topics),
        "status": status,
        "status_note": status_note,
        **_verification_value(verification),
        "sources": sources,
    }


def _gist_value(value: str | None) -> dict[str, str]:
    """`{"gist": …}` when set; nothing otherwise, so positions without one keep their audit form."""
    return {"gist": value} if value else {}


def _verification_value(value: str | None) -> dict[str, str]:
    """`{"verification": …}` when set; nothing otherwise, so entries without one keep their audit form."""
    return {"verification": str(value)} if value else {}


def referenced_slugs(ds: Dataset) -> tuple[set[str], set[str]]:
    """Every actor and topic slug `ds` defines or refers to."""
    actors = {a.slug for a in ds.actors} | {p.actor for p in ds.positions}
    topics = {t.slug for t in ds.topics} | {p.topic for p in ds.positions}
    for e in ds.events:
        actors.update(e.actors)
        topics.update(e.topics)
    return actors, topics


def _plain(value: Any) -> Any:
    """A column value as the audit log and comparisons see it (JSON lists copied, None as empty)."""
    if isinstance(value, list):
        return list(value)
    return "" if value is None else value


async def named_rows(session: AsyncSession, table: Table, pairs: Sequence[tuple[int, str]]) -> list[Any]:
    """The rows of `table` (actors or topics) for these (scope, slug) pairs that exist."""
    found: list[Any] = []
    postgres = (await session.connection()).dialect.name == "postgresql"
    for part in chunks(pairs):
        if postgres:  # exact (guild, slug) index lookups, whatever the planner's statistics say
            found += await session.execute(
                select(table).where(tuple_(table.c.guild_id, table.c.slug).in_(part))
            )
            continue
        # SQLite walks the (guild, slug) index for both lists by itself; their cross product
        # may hold pairs not asked for, left out here
        wanted = set(part)
        rows = await session.execute(
            select(table).where(
                table.c.slug.in_(sorted({s for _, s in part})),
                table.c.guild_id.in_(sorted({g for g, _ in part})),
            )
        )
        found += [row for row in rows if (row.guild_id, row.slug) in wanted]
    return found


async def stored_entries(
    session: AsyncSession, ids: Sequence[str], scopes: Sequence[int] | None
) -> list[tuple[str, str, int]]:
    """(id, table name, scope) of each stored position and event with one of these ids, in these
    scopes (None: in any)."""
    found: list[tuple[str, str, int]] = []
    for part in chunks(ids):
        where_p: list[ColumnElement[bool]] = [PositionRow.id.in_(part)]
        where_e: list[ColumnElement[bool]] = [EventRow.id.in_(part)]
        if scopes is not None:
            where_p.append(PositionRow.guild_id.in_(scopes))
            where_e.append(EventRow.guild_id.in_(scopes))
        stmt = union_all(
            select(PositionRow.id, literal("positions"), PositionRow.guild_id).where(*where_p),
            select(EventRow.id, literal("events"), EventRow.guild_id).where(*where_e),
        )
        found += [(entry_id, table, guild_id) for entry_id, table, guild_id in await session.execute(stmt)]
    return found


def seen_by(stored: Iterable[tuple[str, str, int]], guild_id: int) -> dict[str, tuple[str, int]]:
    """id → (table name, scope) of these stored entries as the scope `guild_id` writes them: the
    writer's own entry wins over a global one with the same id."""
    found: dict[str, tuple[str, int]] = {}
    for entry_id, table, scope in stored:
        if found.get(entry_id, ("", -1))[1] != guild_id:
            found[entry_id] = (table, scope)
    return found


@dataclass(slots=True)
class KnownRows:
    """The stored names and entry ids that many servers' imports look up, read for all of them at once.

    A server's import reads the global scope and its own, and writes only its own: no server's
    import reads what another one writes, so reading all of it before the first one is the same
    as each reading at its start (one query per table instead of three per server).
    """

    named: dict[str, dict[tuple[int, str], Any]]  # table name → (scope, slug) → row
    entries: dict[str, list[tuple[str, int]]]  # entry id → (table name, scope) of each stored entry

    @classmethod
    async def load(cls, session: AsyncSession, datasets: Sequence[tuple[int, Dataset]]) -> KnownRows:
        """What the imports of these (server id, dataset) pairs will look up."""
        pairs: dict[str, set[tuple[int, str]]] = {"actors": set(), "topics": set()}
        ids: set[str] = set()
        for guild_id, ds in datasets:
            for name, slugs in zip(("actors", "topics"), referenced_slugs(ds), strict=True):
                pairs[name].update((g, s) for s in slugs for g in (GLOBAL_SCOPE, guild_id))
            ids.update([p.id for p in ds.positions] + [e.id for e in ds.events])
        named: dict[str, dict[tuple[int, str], Any]] = {}
        for model in (ActorRow, TopicRow):
            table = table_of(model)
            rows = await named_rows(session, table, sorted(pairs[table.name]))
            named[table.name] = {(row.guild_id, row.slug): row for row in rows}
        entries: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for entry_id, table_name, scope in await stored_entries(session, sorted(ids), None):
            entries[entry_id].append((table_name, scope))
        return cls(named, entries)

    def named_rows(self, table: Table, scopes: Sequence[int], slugs: Iterable[str]) -> list[Any]:
        """As `named_rows` for these scopes and slugs."""
        rows = self.named[table.name]
        return [row for slug in slugs for g in scopes if (row := rows.get((g, slug))) is not None]

    def present(self, ids: Iterable[str], guild_id: int) -> dict[str, tuple[str, int]]:
        """As `ImportTx._present` for a server's import."""
        visible = (GLOBAL_SCOPE, guild_id)
        stored = [
            (entry_id, table, scope)
            for entry_id in ids
            for table, scope in self.entries.get(entry_id, ())
            if scope in visible
        ]
        return seen_by(stored, guild_id)


class ImportTx:
    """Upserts one dataset into one scope within the caller's transaction."""

    def __init__(
        self,
        session: AsyncSession,
        search: SearchBackend,
        guild_id: int,
        user_id: int,
        reason: str,
        *,
        new_entries: bool = False,
        based_on: tuple[str, int] | None = None,
        known: KnownRows | None = None,
    ) -> None:
        self.s = session
        if known is not None and new_entries:
            raise ValueError("ImportTx: allocating new ids reads the store itself, not known rows")
        self.known = known  # rows read beforehand for many imports (import_servers), or None: read here
        self.new_entries = new_entries  # positions/events are new: ids allocated here, never updates
        self.based_on = based_on  # (entry id, revision the editor saw): refuse if it moved on
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
        self._actor_slugs: dict[int, str] = {}  # id → slug of every actor row seen (any scope)
        self._topic_slugs: dict[int, str] = {}
        self.collected = CollectedRows()  # written at the end of `run` unless `collect_only`
        self._now = utcnow()

    # -- bookkeeping -------------------------------------------------------------------------

    @property
    def _scopes(self) -> tuple[int, ...]:
        return (GLOBAL_SCOPE,) if self.guild_id == GLOBAL_SCOPE else (GLOBAL_SCOPE, self.guild_id)

    def problem(self, ds: Dataset, section: Section, index: int, fld: str, reason: str) -> None:
        """Record a problem against entry `index` of `section` (file, entry and field named)."""
        origin = ds.origin(section, index)
        self.report.problems.append(Problem(file=origin.file, entry=origin.entry, field=fld, reason=reason))

    def audit(self, kind: str, entry_id: str, action: str, before: Any, after: Any) -> None:
        """Queue one audit row (written in bulk at the end)."""
        self.collected.rows[AuditRow].append(
            {
                "guild_id": self.guild_id,
                "entry_kind": kind,
                "entry_id": entry_id,
                "action": action,
                "user_id": self.user_id,
                "at": self._now,
                "before": before,
                "after": after,
                "reason": self.reason,
            }
        )

    async def run(self, ds: Dataset, *, collect_only: bool = False, dry_run: bool = False) -> ImportReport:
        """Every section, then the new rows, audit rows and search documents, in bulk.

        `collect_only`: leave those in `collected` for the caller to write (with other imports').
        `dry_run`: the caller rolls the transaction back (see CollectedRows.write).
        """
        if (await self.s.connection()).dialect.name == "postgresql":
            # The engine asks for custom plans (right for reads); here they would re-plan the
            # foreign-key checks of every inserted row (links ~3x slower). Generic plans, for
            # this transaction only.
            await self.s.execute(text("SET LOCAL plan_cache_mode = auto"))
        if self.based_on is not None:
            await self.check_revision(*self.based_on)
        if self.new_entries:
            ds = await self.allocate_ids(ds)
        actor_refs, topic_refs = referenced_slugs(ds)
        await self.named(ds, "actors", ActorRow, [(a.slug, actor_values(a)) for a in ds.actors], actor_refs)
        await self.named(ds, "topics", TopicRow, [(t.slug, topic_values(t)) for t in ds.topics], topic_refs)
        present = await self._present([p.id for p in ds.positions] + [e.id for e in ds.events])
        await self.positions(ds, present)
        await self.events(ds, present)
        if not self.report.problems:
            await self.s.flush()  # the ORM updates of changed rows
            if not collect_only:
                await self.collected.write(self.s, self.search, rolled_back=dry_run)
        return self.report

    async def check_revision(self, entry_id: str, seen: int) -> None:
        """StaleEdit if the entry's latest audited change is not the revision `seen` (0: none)."""
        latest = (
            await self.s.execute(
                select(AuditRow.id, AuditRow.user_id, AuditRow.at)
                .where(
                    AuditRow.entry_id == entry_id,
                    AuditRow.guild_id == self.guild_id,
                    AuditRow.entry_kind.in_(("position", "event")),
                )
                .order_by(AuditRow.id.desc())
                .limit(1)
            )
        ).first()
        if latest is not None and latest.id != seen:
            raise StaleEdit(entry_id, latest.user_id, latest.at)

    async def allocate_ids(self, ds: Dataset) -> Dataset:
        """`ds` with each position's and event's id replaced by a free one derived from it.

        Runs inside the write's transaction, which holds the import lock (PostgreSQL) or the
        write lock (SQLite): no concurrent write can take the same id before this one commits,
        and were one to, the primary key refuses the insert rather than updating a row.
        """
        taken: set[str] = set()

        async def free(base: str) -> str:
            for candidate in candidates(base, self.guild_id):
                if candidate not in taken and not await self._present([candidate]):
                    taken.add(candidate)
                    return candidate
            raise RuntimeError(f"no free id for {base!r}")  # 1,000 numbered or 50 random ids taken

        positions = tuple([replace(p, id=await free(p.id)) for p in ds.positions])
        events = tuple([replace(e, id=await free(e.id)) for e in ds.events])
        return replace(ds, positions=positions, events=events)

    # -- names ---------------------------------------------------------------------------------

    def _see_actor(self, row_id: int, guild_id: int, slug: str, name: str) -> None:
        self._actor_slugs[row_id] = slug
        if guild_id == self.guild_id or slug not in self.actor_ids:  # a server's own wins
            self.actor_ids[slug], self.actor_names[slug] = row_id, name

    def _see_topic(self, row_id: int, guild_id: int, slug: str, title: str) -> None:
        self._topic_slugs[row_id] = slug
        if guild_id == self.guild_id or slug not in self.topic_ids:
            self.topic_ids[slug], self.topic_titles[slug] = row_id, title

    async def load_names(self, actors: Iterable[str], topics: Iterable[str]) -> None:
        """Ids and names of these actor and topic slugs as this scope sees them (its own win)."""
        for row in await self._named_rows(table_of(ActorRow), set(actors)):
            self._see_actor(row.id, row.guild_id, row.slug, row.name)
        for row in await self._named_rows(table_of(TopicRow), set(topics)):
            self._see_topic(row.id, row.guild_id, row.slug, row.title)

    async def load_visible_names(self, ds: Dataset) -> None:
        """Ids and names of the actors and topics `ds` defines or refers to, as this scope sees them."""
        await self.load_names(*referenced_slugs(ds))

    async def _slugs_for_ids(self, actor_ids: Iterable[int], topic_ids: Iterable[int]) -> None:
        """Slugs of rows referenced by existing entries that the dataset does not name."""
        for part in chunks(sorted(set(actor_ids) - self._actor_slugs.keys())):
            for row_id, slug in await self.s.execute(
                select(ActorRow.id, ActorRow.slug).where(ActorRow.id.in_(part))
            ):
                self._actor_slugs[row_id] = slug
        for part in chunks(sorted(set(topic_ids) - self._topic_slugs.keys())):
            for row_id, slug in await self.s.execute(
                select(TopicRow.id, TopicRow.slug).where(TopicRow.id.in_(part))
            ):
                self._topic_slugs[row_id] = slug

    # -- actors and topics -------------------------------------------------------------------

    async def named(
        self,
        ds: Dataset,
        section: Section,
        model: type[ActorRow] | type[TopicRow],
        items: list[tuple[str, dict[str, Any]]],
        refs: set[str],
    ) -> None:
        """Insert or update actors/topics of this scope by slug; a global one is refused for a server.

        One query reads the rows of every slug the dataset defines or refers to (`refs`), so
        their ids and names are known afterwards. Plain rows, not ORM objects: changed ones are
        updated with one executemany.
        """
        kind = section[:-1]
        see = self._see_actor if model is ActorRow else self._see_topic
        label = "name" if model is ActorRow else "title"
        table = table_of(model)
        existing: dict[tuple[int, str], Any] = {}
        for row in await self._named_rows(table, refs):
            existing[(row.guild_id, row.slug)] = row
            see(row.id, row.guild_id, row.slug, getattr(row, label))
        fresh: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
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
                fresh.append(
                    {
                        "guild_id": self.guild_id,
                        "slug": slug,
                        **new,
                        "created_at": self._now,
                        "updated_at": self._now,
                    }
                )
                self.audit(kind, slug, "create", None, new)
                self.report.added.append(f"{kind} {slug}")
                self.catalog_changed = True
                continue
            old = {k: _plain(getattr(mine, k)) for k in new}
            if old == new:
                self.report.unchanged += 1
                continue
            updates.append({"row_id": mine.id, **new, "updated_at": self._now})
            see(mine.id, mine.guild_id, slug, new[label])
            self.audit(kind, slug, "update", old, new)
            self.report.changed.append(f"{kind} {slug}")
            self.catalog_changed = True
        # written even after a problem (the transaction is rolled back), so that later sections
        # see these slugs and report only their own problems
        if updates:
            await self.s.execute(update(table).where(table.c.id == bindparam("row_id")), updates)
        for part in chunks(fresh, INSERT_BATCH):
            for row_id, slug, name in await self.s.execute(
                insert(table).returning(table.c.id, table.c.slug, table.c[label]), list(part)
            ):
                see(row_id, self.guild_id, slug, name)

    async def _named_rows(self, table: Table, slugs: set[str]) -> list[Any]:
        """The rows of `table` (actors or topics) with these slugs in this scope or the global one."""
        if self.known is not None:
            return self.known.named_rows(table, self._scopes, slugs)
        return await named_rows(self.s, table, [(g, s) for s in sorted(slugs) for g in self._scopes])

    # -- positions and events ------------------------------------------------------------------

    async def _present(self, ids: list[str]) -> dict[str, tuple[str, int]]:
        """Which of these ids this scope can see already: id → (table name, owning scope).

        A server sees its own ids and the global ones; another server's ids are in another
        namespace, so to this one they are free. A global write sees every scope's ids: a global
        id must not equal a server's, or that server would see two entries under one id.
        """
        if self.known is not None:
            return self.known.present(ids, self.guild_id)
        scopes = self._scopes if self.guild_id != GLOBAL_SCOPE else None
        return seen_by(await stored_entries(self.s, ids, scopes), self.guild_id)

    async def _rows(self, model: type[EntryRow], ids: list[str]) -> dict[str, EntryRow]:
        found: dict[str, EntryRow] = {}
        for part in chunks(ids):
            stmt = select(model).where(model.id.in_(part), model.guild_id == self.guild_id)
            for row in await self.s.scalars(stmt):
                found[row.id] = row
        return found

    def _refs_ok(
        self, ds: Dataset, section: Section, i: int, actors: Sequence[str], topics: Sequence[str]
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

    def _usable(
        self, ds: Dataset, section: Section, i: int, entry_id: str, present: dict[str, tuple[str, int]]
    ) -> bool:
        """False (with a problem) if the id belongs to another scope or to the other kind of entry."""
        where = present.get(entry_id)
        if where is None:
            return True
        table, guild_id = where
        if table == section and guild_id == GLOBAL_SCOPE and self.guild_id != GLOBAL_SCOPE:
            self.problem(ds, section, i, "id", f"{entry_id!r} is a global entry; a server cannot change it")
            return False
        if self.guild_id == GLOBAL_SCOPE and guild_id != GLOBAL_SCOPE:
            # Only the bot's owners write global entries, and they may know which server holds it.
            self.problem(ds, section, i, "id", f"{entry_id!r} is a server's own entry; pick another id")
            return False
        if table != section or guild_id != self.guild_id:
            # This server's other kind of entry, or a global one of the other kind (another
            # server's ids are never in `present`: they are free here).
            self.problem(
                ds, section, i, "id", f"{entry_id!r} is not available in this server; pick another id"
            )
            return False
        return True

    def _mine(self, section: Section, present: dict[str, tuple[str, int]]) -> list[str]:
        return [i for i, (table, g) in present.items() if table == section and g == self.guild_id]

    async def positions(self, ds: Dataset, present: dict[str, tuple[str, int]]) -> None:
        """Insert new positions, update changed ones; audit and index both."""
        if not ds.positions:
            return
        existing = await self._rows(PositionRow, self._mine("positions", present))
        await self._slugs_for_ids(
            (r.actor_id for r in existing.values()), (r.topic_id for r in existing.values())
        )
        fresh: list[dict[str, Any]] = []
        for i, p in enumerate(ds.positions):
            if not self._refs_ok(ds, "positions", i, [p.actor], [p.topic]):
                continue
            if not self._usable(ds, "positions", i, p.id, present):
                continue
            row = existing.get(p.id)
            if row is not None and self.new_entries:
                self.problem(ds, "positions", i, "id", f"{p.id!r} is not available; pick another id")
                continue
            new = position_values(p)
            cols = self.position_columns(p, new["sources"])
            if row is None:
                fresh.append(self._created("position", p.id, cols, new, self.position_doc(p)))
                continue
            old = _position_row_values(row, self._actor_slugs, self._topic_slugs)
            self._updated("position", p.id, row, cols, old, new, partial(self.position_doc, p))
        self.collected.rows[PositionRow] += fresh

    def position_columns(self, p: PositionRecord, sources: list[dict[str, str]]) -> dict[str, Any]:
        """A position's row columns, except its id, scope and timestamps (names already resolved)."""
        return {
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
            "verification": p.verification.value if p.verification else None,
            "gist": p.gist,
            "sources": sources,
        }

    async def events(self, ds: Dataset, present: dict[str, tuple[str, int]]) -> None:
        """Insert new events, update changed ones (and their links); audit and index both."""
        if not ds.events:
            return
        existing = await self._rows(EventRow, self._mine("events", present))
        links = await self._event_links(list(existing))
        fresh: list[dict[str, Any]] = []
        relinked: list[str] = []
        actor_links: list[dict[str, Any]] = []
        topic_links: list[dict[str, Any]] = []
        for i, e in enumerate(ds.events):
            if not self._refs_ok(ds, "events", i, e.actors, e.topics):
                continue
            if not self._usable(ds, "events", i, e.id, present):
                continue
            row = existing.get(e.id)
            if row is not None and self.new_entries:
                self.problem(ds, "events", i, "id", f"{e.id!r} is not available; pick another id")
                continue
            new = event_values(e)
            cols = {
                "occurred_on": e.date.value,
                "precision": e.date.precision,
                "title": e.title,
                "summary": e.summary,
                "status": e.status.value,
                "status_note": e.status_note,
                "verification": e.verification.value if e.verification else None,
                "sources": new["sources"],
            }
            if row is None:
                fresh.append(self._created("event", e.id, cols, new, self.event_doc(e)))
            else:
                old = _event_row_values(row, *links.get(e.id, ([], [])))
                if not self._updated("event", e.id, row, cols, old, new, partial(self.event_doc, e)):
                    continue
                relinked.append(e.id)
            actor_links += (
                {"event_id": e.id, "guild_id": self.guild_id, "actor_id": self.actor_ids[a]}
                for a in sorted(set(e.actors))
            )
            topic_links += self.topic_links(e, removed=row is not None and row.removed_at is not None)
        if self.report.problems:
            return
        for part in chunks(relinked):
            own = EventActorRow.guild_id == self.guild_id
            await self.s.execute(delete(EventActorRow).where(EventActorRow.event_id.in_(part), own))
            own = EventTopicRow.guild_id == self.guild_id
            await self.s.execute(delete(EventTopicRow).where(EventTopicRow.event_id.in_(part), own))
        self.collected.rows[EventRow] += fresh
        self.collected.rows[EventActorRow] += actor_links
        self.collected.rows[EventTopicRow] += topic_links

    def _created(
        self, kind: str, entry_id: str, cols: dict[str, Any], new: dict[str, Any], doc: SearchDoc
    ) -> dict[str, Any]:
        """A new position's or event's row, audited, reported and queued for the search index."""
        self.audit(kind, entry_id, "create", None, new)
        self.report.added.append(f"{kind} {entry_id}")
        self.collected.new_docs.append(doc)
        return {
            "id": entry_id,
            "guild_id": self.guild_id,
            **cols,
            "removed_at": None,
            "created_at": self._now,
            "updated_at": self._now,
        }

    def _updated(
        self,
        kind: str,
        entry_id: str,
        row: PositionRow | EventRow,
        cols: dict[str, Any],
        old: dict[str, Any],
        new: dict[str, Any],
        doc: Callable[[], SearchDoc],
    ) -> bool:
        """Write `cols` to an existing row whose values changed (audited, re-indexed); False if unchanged."""
        if old == new:
            self.report.unchanged += 1
            return False
        for k, v in cols.items():
            setattr(row, k, v)
        row.updated_at = self._now
        self.audit(kind, entry_id, "update", old, new)
        self.report.changed.append(f"{kind} {entry_id}")
        self.collected.docs.append(doc())
        return True

    def topic_links(self, e: EventRecord, *, removed: bool = False) -> list[dict[str, Any]]:
        """The event's event_topics rows: one per topic, with the event's scope, date and visibility."""
        dated = {
            "guild_id": self.guild_id,
            "occurred_on": e.date.value,
            "precision": e.date.precision,
            "removed": removed,
        }
        return [{"event_id": e.id, "topic_id": self.topic_ids[t], **dated} for t in sorted(set(e.topics))]

    async def _event_links(self, ids: list[str]) -> dict[str, tuple[list[str], list[str]]]:
        """Actor and topic slugs of existing events, for comparison."""
        if not ids:
            return {}
        actor_ids: dict[str, list[int]] = defaultdict(list)
        topic_ids: dict[str, list[int]] = defaultdict(list)
        for part in chunks(ids):
            for ev, a in await self.s.execute(
                select(EventActorRow.event_id, EventActorRow.actor_id).where(
                    EventActorRow.event_id.in_(part), EventActorRow.guild_id == self.guild_id
                )
            ):
                actor_ids[ev].append(a)
            for ev, t in await self.s.execute(
                select(EventTopicRow.event_id, EventTopicRow.topic_id).where(
                    EventTopicRow.event_id.in_(part), EventTopicRow.guild_id == self.guild_id
                )
            ):
                topic_ids[ev].append(t)
        await self._slugs_for_ids(
            (a for v in actor_ids.values() for a in v), (t for v in topic_ids.values() for t in v)
        )
        return {
            i: (
                [self._actor_slugs.get(a, "") for a in actor_ids[i]],
                [self._topic_slugs.get(t, "") for t in topic_ids[i]],
            )
            for i in ids
        }

    # -- search documents --------------------------------------------------------------------

    def position_doc(self, p: PositionRecord) -> SearchDoc:
        """The search document of a position: its text in the body; actor, topic and stance as names."""
        actor, topic = self.actor_names.get(p.actor, p.actor), self.topic_titles.get(p.topic, p.topic)
        return position_search_doc(
            p.id,
            self.guild_id,
            actor,
            topic,
            p.stance.value,
            [p.summary, *p.key_points, p.quote, p.speaker, p.status_note],
        )

    def event_doc(self, e: EventRecord) -> SearchDoc:
        """The search document of an event: its actors' names and topics' titles as names."""
        names = [self.actor_names.get(a, a) for a in e.actors] + [
            self.topic_titles.get(t, t) for t in e.topics
        ]
        return event_search_doc(e.id, self.guild_id, e.title, [e.summary, e.status_note], names)


def _position_row_values(
    row: PositionRow, slug_by_actor: dict[int, str], slug_by_topic: dict[int, str]
) -> dict[str, Any]:
    return _position_audit(
        actor=slug_by_actor.get(row.actor_id, ""),
        topic=slug_by_topic.get(row.topic_id, ""),
        stance=row.stance,
        summary=row.summary,
        key_points=list(row.key_points or []),
        quote=row.quote or "",
        speaker=row.speaker or "",
        date=_stored_date(row.stated_on, row.precision),
        status=row.status,
        status_note=row.status_note or "",
        verification=row.verification,
        gist=row.gist,
        sources=list(row.sources or []),
    )


def _event_row_values(row: EventRow, actors: list[str], topics: list[str]) -> dict[str, Any]:
    return _event_audit(
        date=_stored_date(row.occurred_on, row.precision),
        title=row.title,
        summary=row.summary,
        actors=actors,
        topics=topics,
        status=row.status,
        status_note=row.status_note or "",
        verification=row.verification,
        sources=list(row.sources or []),
    )


def _stored_date(value: date, precision: str) -> str:
    """A stored date and precision in the audit log's form (FuzzyDate.iso)."""
    return FuzzyDate(value, cast("Precision", precision)).iso()
