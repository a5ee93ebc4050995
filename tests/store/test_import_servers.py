"""Many servers' datasets imported at once (`import --servers`): each into its own scope, a refused
server writing nothing while the others are written; a dry run writes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.dataset.parse import parse_data
from bot.dataset.records import Dataset
from bot.db.models import ActorRow, AuditRow
from bot.errors import NotFound
from bot.store import Store
from tests.store.conftest import GUILD_A, GUILD_B
from tests.store.test_id_namespaces import A_FILE, B_FILE

GUILD_C = 333_333_333_333_333_333
SOURCES = [{"url": "https://example.org/c", "publisher": "C"}]
C_DOC: dict[str, Any] = {  # its own actor, and an event under a global entry's id: refused by the store
    "actors": [{"slug": "local-c", "name": "Local C", "kind": "person"}],
    "events": [
        {
            "id": "ev-2008",
            "date": "2025-08-01",
            "title": "Charlie plan",
            "summary": "Charlie's words.",
            "actors": ["local-c"],
            "topics": ["peacekeepers"],
            "status": "reported",
            "sources": SOURCES,
        }
    ],
}
C_FILE = parse_data(C_DOC, "local.yaml")[0]


async def _audit_rows(store: Store, guild_id: int) -> int:
    async with store.sessions() as s:
        return (await s.scalar(select(func.count()).where(AuditRow.guild_id == guild_id))) or 0


async def test_each_server_is_imported_into_its_own_scope_and_a_refused_one_writes_nothing(
    seeded: Store,
) -> None:
    """A and B get their own entries, audited and searchable; C takes a global id: nothing of C, not even
    its actor (written before the store found the problem)."""
    store = seeded
    batch = [(GUILD_A, A_FILE), (GUILD_C, C_FILE), (GUILD_B, B_FILE)]
    a, c, b = await store.writes.import_servers(batch, reason=lambda g: f"servers {g}")
    assert a.applied and b.applied and not c.applied
    assert a.added == b.added == ["position pos-shared", "event ev-shared"]
    assert ["is a global entry" in p.reason for p in c.problems] == [True]
    assert (await store.reads.entry(GUILD_A, "ev-shared")).entry.title == "Alpha secret plan"
    assert (await store.reads.entry(GUILD_B, "ev-shared")).entry.title == "Bravo open plan"
    assert [h.title for h in (await store.reads.search(GUILD_B, "plan")).hits] == ["Bravo open plan"]
    with pytest.raises(NotFound):
        await store.reads.entry(None, "ev-shared")
    assert (await store.reads.entry(GUILD_C, "ev-2008")).entry.title != "Charlie plan"
    async with store.sessions() as s:
        assert await s.scalar(select(func.count()).where(ActorRow.guild_id == GUILD_C)) == 0
    assert (await _audit_rows(store, GUILD_A), await _audit_rows(store, GUILD_C)) == (2, 0)
    again = await store.writes.import_servers([(GUILD_A, A_FILE), (GUILD_B, B_FILE)])
    assert [(r.added, r.unchanged) for r in again] == [([], 2), ([], 2)]


async def test_a_dry_run_of_many_servers_reports_and_writes_nothing(seeded: Store) -> None:
    store = seeded
    a, b = await store.writes.import_servers([(GUILD_A, A_FILE), (GUILD_B, B_FILE)], dry_run=True)
    assert a.added == b.added == ["position pos-shared", "event ev-shared"]
    assert not a.applied and not b.applied
    assert (await _audit_rows(store, GUILD_A), await _audit_rows(store, GUILD_B)) == (0, 0)


async def test_a_server_named_twice_is_refused_before_anything_is_written(seeded: Store) -> None:
    """Its second dataset would be checked against the store without the first's new entries."""
    store = seeded
    with pytest.raises(ValueError, match="each server once"):
        await store.writes.import_servers([(GUILD_A, A_FILE), (GUILD_B, B_FILE), (GUILD_A, A_FILE)])
    assert (await _audit_rows(store, GUILD_A), await _audit_rows(store, GUILD_B)) == (0, 0)
    with pytest.raises(NotFound):
        await store.reads.entry(GUILD_A, "ev-shared")


def _own_names(name: str, title: str) -> Dataset:
    """A server's own actor `local` and topic `local-topic`, and a position of that actor on it."""
    doc = {
        "actors": [{"slug": "local", "name": name, "kind": "person"}],
        "topics": [{"slug": "local-topic", "title": title, "summary": "Ours."}],
        "positions": [
            {
                "id": "pos-local",
                "actor": "local",
                "topic": "local-topic",
                "stance": "supports",
                "summary": f"{name} supports it.",
                "date": "2025-08-01",
                "status": "reported",
                "sources": SOURCES,
            }
        ],
    }
    return parse_data(doc, "local.yaml")[0]


async def test_servers_own_names_are_looked_up_in_their_own_scope(seeded: Store) -> None:
    """Two servers each define actor `local` and topic `local-topic`: each gets its own; imported
    again, each sees only its own (unchanged, or changed where its file changed), and a server
    restating a global actor differently is refused while the others are written."""
    store = seeded
    first = await store.writes.import_servers(
        [
            (GUILD_A, _own_names("Alpha Local", "Alpha topic")),
            (GUILD_B, _own_names("Bravo Local", "Bravo topic")),
        ]
    )
    assert [r.added for r in first] == [["actor local", "topic local-topic", "position pos-local"]] * 2
    clash = parse_data({"actors": [{"slug": "russia", "name": "Not Russia", "kind": "state"}]}, "c.yaml")[0]
    again = await store.writes.import_servers(
        [
            (GUILD_A, _own_names("Alpha Local", "Alpha topic")),
            (GUILD_C, clash),
            (GUILD_B, _own_names("Bravo Local", "Bravo renamed")),
        ]
    )
    a, c, b = again
    assert (a.added, a.changed, a.unchanged) == ([], [], 3)
    assert (b.added, b.changed, b.unchanged) == ([], ["topic local-topic"], 2)
    assert ["is a global actor" in p.reason for p in c.problems] == [True]
    assert (await store.reads.resolve_actor(GUILD_A, "local")).name == "Alpha Local"
    assert (await store.reads.resolve_topic(GUILD_B, "local-topic")).title == "Bravo renamed"
    assert (await store.reads.resolve_topic(GUILD_A, "local-topic")).title == "Alpha topic"
    assert (await store.reads.resolve_actor(GUILD_C, "russia")).name == "Russia"


async def test_an_id_another_server_holds_is_free_for_this_one(seeded: Store) -> None:
    """A holds ev-shared; B imports an event with that id in a later batch: B's own, A's untouched."""
    store = seeded
    assert (await store.writes.import_servers([(GUILD_A, A_FILE)]))[0].applied
    (b,) = await store.writes.import_servers([(GUILD_B, B_FILE)])
    assert b.applied and b.added == ["position pos-shared", "event ev-shared"], b.problems
    assert (await store.reads.entry(GUILD_B, "ev-shared")).entry.title == "Bravo open plan"
    assert (await store.reads.entry(GUILD_A, "ev-shared")).entry.title == "Alpha secret plan"
