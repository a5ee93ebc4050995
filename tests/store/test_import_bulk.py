"""The bulk import path: large batches (COPY / raw executemany), names looked up per dataset,
search documents added or replaced, audits of changes to entries the new data no longer names."""

from __future__ import annotations

import dataclasses
from datetime import UTC

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from bot.dataset import dump_dataset, parse_document
from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.db.bulk import COPY_MIN_ROWS, foreign_keys_checked_after
from bot.db.models import AuditRow, EventActorRow, EventRow, EventTopicRow, PositionRow, table_of
from bot.domain import Actor, ActorKind, FuzzyDate, Stance, Status, Topic
from bot.store import Store, importing
from tests.store.conftest import GUILD_A, small_dataset, src


async def count(store: Store, model: type) -> int:
    async with store.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


def big_dataset(n: int) -> Dataset:
    """`n` events and `n // 4` positions over a few actors and topics (more than one COPY batch)."""
    actors = tuple(Actor(f"actor-{i}", f"Actor {i}", ActorKind.STATE, (f"a{i}",)) for i in range(5))
    topics = tuple(Topic(f"topic-{i}", f"Topic {i}", "About it.") for i in range(3))
    events = tuple(
        EventRecord(
            f"ev-{i:05d}",
            FuzzyDate.parse(f"20{i % 25:02d}-0{1 + i % 9}" if i % 3 else f"20{i % 25:02d}"),
            f"Event {i}",
            f"Summary {i} with the word zebra{i % 7}.",
            src(1 + i % 2),
            (f"actor-{i % 5}", f"actor-{(i + 1) % 5}"),
            (f"topic-{i % 3}",),
            Status.DISPUTED if i % 11 == 0 else Status.REPORTED,
            status_note="Wrong date." if i % 11 == 0 else "",
        )
        for i in range(n)
    )
    positions = tuple(
        PositionRecord(
            f"pos-{i:05d}",
            f"actor-{i % 5}",
            f"topic-{i % 3}",
            Stance.SUPPORTS,
            f"Position {i}.",
            FuzzyDate.parse(f"2024-01-{1 + i % 28:02d}"),
            src(),
            key_points=("one", "two"),
        )
        for i in range(n // 4)
    )
    return Dataset(actors=actors, topics=topics, positions=positions, events=events)


async def test_large_import_is_complete_audited_searchable_and_round_trips(store: Store) -> None:
    """A large import (bulk path) stores, audits and indexes every entry; export → import is a no-op."""
    ds = big_dataset(COPY_MIN_ROWS + 200)
    report = await store.writes.import_dataset(ds)
    assert report.ok and len(report.added) == len(ds)
    assert await count(store, EventRow) == len(ds.events)
    assert await count(store, PositionRow) == len(ds.positions)
    assert await count(store, EventActorRow) == 2 * len(ds.events)
    assert await count(store, AuditRow) == len(ds)
    async with store.sessions() as s:
        audit = await s.scalar(select(AuditRow).where(AuditRow.entry_id == "ev-00003"))
        event = await s.get(EventRow, ("ev-00003", 0))  # (id, scope)
    assert audit is not None and audit.before is None and audit.after["actors"] == ["actor-3", "actor-4"]
    assert event is not None and event.created_at.tzinfo is UTC and event.sources[0]["publisher"] == "Pub 0"
    hits = (await store.reads.search(None, "zebra3")).hits
    assert hits and all(h.kind == "event" and int(h.entry_id[3:]) % 7 == 3 for h in hits)
    text = dump_dataset(await store.reads.export(0))
    again, problems = parse_document(text, "export.yaml")
    assert problems == []
    second = await store.writes.import_dataset(again)
    assert second.ok and second.added == [] and second.changed == []


async def test_changed_entries_are_reindexed_not_duplicated(seeded: Store) -> None:
    """A changed entry's search document is replaced: the new word is found, the old one is not."""
    ds = small_dataset()
    changed = dataclasses.replace(ds.events[0], summary="Quokka diplomacy.")
    report = await seeded.writes.import_dataset(dataclasses.replace(ds, events=(changed, *ds.events[1:])))
    assert report.changed == ["event ev-2008"]
    assert [h.entry_id for h in (await seeded.reads.search(None, "quokka")).hits] == ["ev-2008"]
    assert "ev-2008" not in [h.entry_id for h in (await seeded.reads.search(None, "become")).hits]
    assert [h.entry_id for h in (await seeded.reads.search(None, "bucharest")).hits] == [
        "ev-2008"
    ]  # one document


async def test_audit_before_names_actors_the_new_data_no_longer_mentions(seeded: Store) -> None:
    """An event moved from one actor to another: the audit's before still names the old actor."""
    ds = small_dataset()
    moved = dataclasses.replace(ds.events[4], actors=("united-states",))  # was russia
    position = dataclasses.replace(ds.positions[2], actor="nato")  # was united-states
    only = dataclasses.replace(ds, actors=(), topics=(), positions=(position,), events=(moved,))
    report = await seeded.writes.import_dataset(only)
    assert sorted(report.changed) == ["event ev-2025-03", "position pos-us-nato"]
    async with seeded.sessions() as s:
        rows = (await s.scalars(select(AuditRow).where(AuditRow.action == "update"))).all()
    before = {r.entry_id: r.before for r in rows}
    assert before["ev-2025-03"]["actors"] == ["russia"]
    assert before["pos-us-nato"]["actor"] == "united-states"


async def test_server_import_sees_global_names_and_refuses_another_kinds_id(seeded: Store) -> None:
    """A server's entries may name global actors; an id used by an event cannot become a position."""
    ds = small_dataset()
    local = dataclasses.replace(ds.events[0], id="ev-local", actors=("russia", "nato"))
    ok = await seeded.writes.import_dataset(
        Dataset(topics=(Topic("local", "Local topic", ""),), events=(local,)), guild_id=GUILD_A
    )
    assert ok.ok and ok.added == ["topic local", "event ev-local"]
    clash = dataclasses.replace(ds.positions[0], id="ev-local")
    report = await seeded.writes.import_dataset(Dataset(positions=(clash,)), guild_id=GUILD_A)
    assert [(p.field, p.reason) for p in report.problems] == [
        ("id", "'ev-local' is not available in this server; pick another id")
    ]


async def test_renamed_actor_and_topic_are_updated_and_audited(seeded: Store) -> None:
    """A changed actor name and topic summary are updated in place, audited, and resolvable."""
    ds = small_dataset()
    actor = dataclasses.replace(ds.actors[0], name="Russian Federation", aliases=("ru",))
    topic = dataclasses.replace(ds.topics[0], summary="Troops after a ceasefire.")
    report = await seeded.writes.import_dataset(Dataset(actors=(actor,), topics=(topic,)))
    assert report.changed == ["actor russia", "topic peacekeepers"] and report.unchanged == 0
    assert (await seeded.reads.resolve_actor(None, "russian federation")).slug == "russia"
    assert (await seeded.reads.resolve_topic(None, "peacekeepers")).summary == "Troops after a ceasefire."
    async with seeded.sessions() as s:
        audit = await s.scalar(
            select(AuditRow).where(AuditRow.entry_id == "russia", AuditRow.action == "update")
        )
    assert audit is not None
    assert audit.before["aliases"] == ["ru", "russian-federation"] and audit.after["aliases"] == ["ru"]


async def _foreign_keys(store: Store) -> list[tuple[str, str, str]]:
    """The link tables' foreign keys as the database holds them (PostgreSQL; SQLite: none listed)."""
    if store.engine.dialect.name != "postgresql":
        return []
    async with store.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid::regclass::text IN ('event_actors', 'event_topics') "
                "ORDER BY 1, 2"
            )
        )
        return [tuple(r) for r in rows]


async def _link_to_a_missing_event(store: Store, *, keys_dropped: bool) -> None:
    """Insert a link row whose event does not exist (in a block without the keys if `keys_dropped`)."""
    tables = [table_of(EventActorRow)] if keys_dropped else []
    async with store.sessions() as s, s.begin(), foreign_keys_checked_after(s, tables):
        await s.execute(insert(EventActorRow).values(event_id="ev-missing", actor_id=1, guild_id=0))


async def test_a_first_load_checks_the_links_and_keeps_their_foreign_keys(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first load into empty link tables (keys checked after the load on PostgreSQL) stores every
    link, and the keys are back as they were: a link to a missing event is still refused."""
    monkeypatch.setattr(importing, "FIRST_LOAD_MIN_LINKS", 1)
    keys = await _foreign_keys(store)
    assert len(keys) == 4 or store.engine.dialect.name != "postgresql"
    ds = big_dataset(COPY_MIN_ROWS + 200)
    assert (await store.writes.import_dataset(ds)).ok
    assert await count(store, EventActorRow) == 2 * len(ds.events)
    assert await count(store, EventTopicRow) == len(ds.events)
    event = (await store.reads.entry(None, "ev-00003")).entry
    assert [a.slug for a in event.actors] == ["actor-3", "actor-4"]
    assert [t.slug for t in event.topics] == ["topic-0"]
    assert await _foreign_keys(store) == keys
    with pytest.raises(IntegrityError):
        await _link_to_a_missing_event(store, keys_dropped=False)


async def test_a_link_the_keys_refuse_fails_the_load_when_they_are_added_back(store: Store) -> None:
    """Keys dropped for a block are checked when they come back: a bad row there fails the
    transaction, which rolls back with the keys in place."""
    keys = await _foreign_keys(store)
    with pytest.raises(IntegrityError):
        await _link_to_a_missing_event(store, keys_dropped=True)
    assert await count(store, EventActorRow) == 0
    assert await _foreign_keys(store) == keys


async def test_an_import_whose_indexing_fails_writes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are made ready on a worker thread while the documents are indexed: when indexing
    fails, that error is the import's, nothing is written, and the next import works."""

    async def broken(session: object, docs: object) -> None:
        raise RuntimeError("the index is broken")

    ds = big_dataset(COPY_MIN_ROWS + 200)
    with monkeypatch.context() as patched:
        patched.setattr(store.writes._search, "add_many", broken)
        with pytest.raises(RuntimeError, match="the index is broken"):
            await store.writes.import_dataset(ds)
    for model in (PositionRow, EventRow, EventActorRow, AuditRow):
        assert await count(store, model) == 0, model
    assert (await store.writes.import_dataset(ds)).ok
    assert await count(store, EventRow) == len(ds.events)
    assert [h.entry_id for h in (await store.reads.search(None, "zebra3")).hits][:1] == ["ev-00003"]
