"""Import: idempotent upsert by id, one transaction, scope rules; export round-trips."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select

from bot.dataset import dump_dataset, parse_document
from bot.db.models import AuditRow, PositionRow
from bot.domain import FuzzyDate
from bot.store import Store
from tests.store.conftest import GUILD_A, GUILD_B, small_dataset


async def count(store: Store, model: type) -> int:
    async with store.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_import_twice_changes_nothing(seeded: Store) -> None:
    """Re-importing the same data adds, changes and audits nothing."""
    audits = await count(seeded, AuditRow)
    report = await seeded.writes.import_dataset(small_dataset())
    assert report.ok and report.added == [] and report.changed == []
    assert report.unchanged == 3 + 2 + 4 + 5
    assert await count(seeded, AuditRow) == audits


async def test_import_updates_changed_entry_and_audits(seeded: Store) -> None:
    """A changed summary is updated in place and audited with before/after."""
    ds = small_dataset()
    changed = dataclasses.replace(ds.positions[0], summary="Reworded.")
    report = await seeded.writes.import_dataset(
        dataclasses.replace(ds, positions=(changed, *ds.positions[1:]))
    )
    assert report.changed == ["position pos-ru-pk-1"]
    async with seeded.sessions() as s:
        audit = (
            await s.scalars(select(AuditRow).where(AuditRow.entry_id == "pos-ru-pk-1").order_by(AuditRow.id))
        ).all()
    assert audit[-1].action == "update"
    assert audit[-1].before["summary"] != audit[-1].after["summary"] == "Reworded."


async def test_dry_run_writes_nothing(store: Store) -> None:
    """A dry run reports additions but leaves the database empty."""
    report = await store.writes.import_dataset(small_dataset(), dry_run=True)
    assert len(report.added) == 14 and not report.applied
    assert await store.is_empty()


async def test_dangling_reference_rejects_whole_import(store: Store) -> None:
    """One dangling reference rejects the import: nothing at all is written."""
    ds = small_dataset()
    bad = dataclasses.replace(ds.positions[0], id="pos-new", actor="nobody")
    report = await store.writes.import_dataset(dataclasses.replace(ds, positions=(*ds.positions, bad)))
    assert not report.ok
    assert "unknown actor 'nobody'" in str(report.problems[0])
    assert await count(store, PositionRow) == 0
    assert await store.is_empty()


async def test_problem_inside_transaction_rolls_back_earlier_writes(seeded: Store) -> None:
    """A problem found mid-import (an id of a global entry) undoes the rows already written."""
    ds = small_dataset()
    hijack = dataclasses.replace(ds.events[0], title="Rewritten by a server")
    new_actor = dataclasses.replace(ds.actors[0], slug="newcomer", name="Newcomer", aliases=())
    attempt = dataclasses.replace(ds, actors=(new_actor,), topics=(), positions=(), events=(hijack,))
    report = await seeded.writes.import_dataset(attempt, guild_id=GUILD_B)
    assert [p.field for p in report.problems] == ["id"]
    assert "newcomer" not in {a.slug for a in await seeded.reads.actors(GUILD_B)}


async def test_server_cannot_change_global_entry_by_import(seeded: Store) -> None:
    """A server's import that reuses a global id or slug with new content is refused."""
    ds = small_dataset()
    hijack = dataclasses.replace(ds.positions[0], summary="Rewritten by a server.")
    report = await seeded.writes.import_dataset(
        dataclasses.replace(ds, actors=(), topics=(), positions=(hijack,), events=()), guild_id=GUILD_A
    )
    assert not report.ok and "cannot change" in report.problems[0].reason
    renamed = dataclasses.replace(ds.actors[0], name="Renamed")
    report = await seeded.writes.import_dataset(
        dataclasses.replace(ds, actors=(renamed,), topics=(), positions=(), events=()), guild_id=GUILD_A
    )
    assert not report.ok and "global actor" in report.problems[0].reason
    detail = await seeded.reads.entry(GUILD_A, "pos-ru-pk-1")
    assert detail.entry.summary.startswith("Cannot consider")


async def test_export_round_trips_through_import(seeded: Store) -> None:
    """export → YAML → parse → import changes nothing."""
    text = dump_dataset(await seeded.reads.export(0))
    ds, problems = parse_document(text, "export.yaml")
    assert problems == []
    assert len(ds.positions) == 4 and len(ds.events) == 5
    assert ds.events[1].date == FuzzyDate.parse("2023-07")
    report = await seeded.writes.import_dataset(ds)
    assert report.ok and report.added == [] and report.changed == []


async def test_export_holds_the_servers_own_entries_never_another_servers(seeded: Store) -> None:
    """A server's export has its own entries (and the global ones only when asked), never another
    server's."""
    ds = small_dataset()
    for guild, title in ((GUILD_A, "A's event"), (GUILD_B, "B's event")):
        own = dataclasses.replace(ds.events[0], id=f"ev-own-{guild}", title=title)
        only = dataclasses.replace(ds, actors=(), topics=(), positions=(), events=(own,))
        assert (await seeded.writes.import_dataset(only, guild_id=guild)).ok
    mine = await seeded.reads.export(GUILD_A)
    assert [e.id for e in mine.events] == [f"ev-own-{GUILD_A}"]
    assert (mine.actors, mine.topics, mine.positions) == ((), (), ())
    with_global = await seeded.reads.export(GUILD_A, include_global=True)
    assert {e.id for e in with_global.events} == {f"ev-own-{GUILD_A}"} | {e.id for e in ds.events}
    assert {p.id for p in with_global.positions} == {p.id for p in ds.positions}
