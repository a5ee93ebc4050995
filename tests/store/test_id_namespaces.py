"""Each server's ids are its own namespace (issue 11.6): an id another server holds is as free as
an id nobody holds, so no write can tell whether another server holds an id. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.dataset.dump import event_mapping
from bot.dataset.parse import parse_data
from bot.dataset.records import Dataset
from bot.domain import TimelineQuery
from bot.errors import NotFound
from bot.store import Store
from bot.store.curation import Writer
from bot.store.writes import ImportReport
from tests.store.conftest import GUILD_A, GUILD_B

CURATOR_A = Writer(user_id=10, guild_id=GUILD_A, can_curate=True)
CURATOR_B = Writer(user_id=20, guild_id=GUILD_B, can_curate=True)
SOURCES = [{"url": "https://example.org/p", "publisher": "P"}]


def _dataset(title: str, actor: str, topic: str, summary: str) -> Dataset:
    """One event `ev-shared` and one position `pos-shared`, as a server's file would hold them."""
    doc: dict[str, Any] = {
        "events": [
            {
                "id": "ev-shared",
                "date": "2025-08-01",
                "title": title,
                "summary": summary,
                "actors": [actor],
                "topics": [topic],
                "status": "reported",
                "sources": SOURCES,
            }
        ],
        "positions": [
            {
                "id": "pos-shared",
                "actor": actor,
                "topic": topic,
                "stance": "supports",
                "summary": summary,
                "date": "2025-08-01",
                "status": "reported",
                "sources": SOURCES,
            }
        ],
    }
    ds, problems = parse_data(doc, "local.yaml")
    assert problems == []
    return ds


A_FILE = _dataset("Alpha secret plan", "russia", "peacekeepers", "Alpha's own words.")
B_FILE = _dataset("Bravo open plan", "nato", "nato-ukraine", "Bravo's own words.")


async def _import(store: Store, ds: Dataset, guild: int, *, dry_run: bool = False) -> ImportReport:
    return await store.writes.import_dataset(ds, guild_id=guild, user_id=1, dry_run=dry_run)


@pytest.fixture
async def a_holds(seeded: Store) -> Store:
    """Server A has imported `ev-shared` and `pos-shared`."""
    assert (await _import(seeded, A_FILE, GUILD_A)).ok
    return seeded


async def test_import_of_an_id_another_server_holds_creates_it_here(a_holds: Store) -> None:
    """B's dry run and import of A's ids read exactly as for ids nobody holds; both servers keep their own."""
    store = a_holds
    dry = await _import(store, B_FILE, GUILD_B, dry_run=True)
    assert (dry.problems, dry.added) == ([], ["position pos-shared", "event ev-shared"])
    report = await _import(store, B_FILE, GUILD_B)
    assert report.ok and report.applied and report.added == ["position pos-shared", "event ev-shared"]
    a_event, b_event = [await store.reads.entry(g, "ev-shared") for g in (GUILD_A, GUILD_B)]
    assert (a_event.entry.title, [a.slug for a in a_event.entry.actors]) == ("Alpha secret plan", ["russia"])
    assert (b_event.entry.title, [a.slug for a in b_event.entry.actors]) == ("Bravo open plan", ["nato"])
    assert [t.slug for t in b_event.entry.topics] == ["nato-ukraine"]
    a_pos, b_pos = [await store.reads.entry(g, "pos-shared") for g in (GUILD_A, GUILD_B)]
    assert (a_pos.entry.summary, a_pos.entry.actor.slug) == ("Alpha's own words.", "russia")
    assert (b_pos.entry.summary, b_pos.entry.actor.slug) == ("Bravo's own words.", "nato")
    with pytest.raises(NotFound):
        await store.reads.entry(None, "ev-shared")  # neither is global
    assert [h.title for h in (await store.reads.search(GUILD_B, "plan")).hits] == ["Bravo open plan"]
    assert [h.title for h in (await store.reads.search(GUILD_A, "plan")).hits] == ["Alpha secret plan"]
    b_export = await store.reads.export(GUILD_B)
    assert [e.title for e in b_export.events] == ["Bravo open plan"]
    assert (await _import(store, b_export, GUILD_B)).added == []  # B's own ids update B's own entries


async def test_each_servers_edits_history_and_removal_stay_in_its_namespace(a_holds: Store) -> None:
    """B edits and removes its `ev-shared`; A's entry, its history, search and timeline are untouched."""
    store = a_holds
    assert (await _import(store, B_FILE, GUILD_B)).ok
    kind, fields, revision = await store.curation.editable(CURATOR_B, "ev-shared")
    assert (kind, fields["title"]) == ("event", "Bravo open plan")
    assert await store.curation.edit_entry(
        CURATOR_B, "ev-shared", {"title": "Bravo new plan"}, based_on=revision
    )
    b_history = await store.curation.history(CURATOR_B, "ev-shared")
    assert [(r.action, r.changes.get("title")) for r in b_history] == [
        ("create", (None, "Bravo open plan")),
        ("update", ("Bravo open plan", "Bravo new plan")),
    ]
    assert [r.action for r in await store.curation.history(CURATOR_A, "ev-shared")] == ["create"]
    await store.curation.set_removed(CURATOR_B, "ev-shared", removed=True)
    with pytest.raises(NotFound):
        await store.reads.entry(GUILD_B, "ev-shared")
    assert (await store.reads.entry(GUILD_A, "ev-shared")).entry.title == "Alpha secret plan"
    assert [h.title for h in (await store.reads.search(GUILD_A, "plan")).hits] == ["Alpha secret plan"]
    timeline = await store.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 50)
    assert "Alpha secret plan" in [e.title for e in timeline.items]
    await store.curation.set_removed(CURATOR_B, "ev-shared", removed=False)
    assert [h.title for h in (await store.reads.search(GUILD_B, "plan")).hits] == ["Bravo new plan"]


async def test_digest_of_each_server_shows_its_own_entry(a_holds: Store) -> None:
    """The change log of B's window names B's `ev-shared` with B's topic, never A's."""
    store = a_holds
    since = datetime.now(UTC)  # after the seed's and A's writes
    assert (await _import(store, B_FILE, GUILD_B)).ok
    until = datetime.now(UTC) + timedelta(seconds=1)
    changes = await store.changes.between(GUILD_B, [], since, until)
    assert {(c.entry_id, c.topics) for c in changes} == {
        ("ev-shared", ("nato-ukraine",)),
        ("pos-shared", ("nato-ukraine",)),
    }


async def test_no_server_id_equals_a_global_one(a_holds: Store) -> None:
    """A server cannot take a global id, and a global import cannot take a server's: so a server's
    own and the global entries never share an id (what keeps `own ∪ global` lookups unambiguous)."""
    store = a_holds
    global_id = _dataset("x", "nato", "nato-ukraine", "y")
    hijack, _ = parse_data(
        {"events": [{**event_mapping(global_id.events[0]), "id": "ev-2008"}]}, "local.yaml"
    )
    refused = await _import(store, hijack, GUILD_B)
    assert not refused.ok and "is a global entry" in refused.problems[0].reason
    taken = await store.writes.import_dataset(global_id)
    assert not taken.ok and "a server's own entry" in taken.problems[0].reason
