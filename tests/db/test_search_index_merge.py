"""SQLite's search index in one segment: a large import merges it (a dry run does not), a small
write leaves FTS5's own merging alone, and migration 0014 merges the index of a store that is
already there. Searches answer the same throughout, on both databases."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.dataset.records import Dataset, EventRecord
from bot.db.engine import create_engine
from bot.db.migrations import alembic_config
from bot.db.schema import ensure_schema, upgrade
from bot.db.search import MERGE_MIN_DOCS
from bot.domain import FuzzyDate
from bot.store import Store
from tests.store.conftest import small_dataset, src
from tests.support.databases import database_url

SEGMENTS = text("SELECT count(DISTINCT segid) FROM entry_search_idx")


def events(first: int, n: int) -> Dataset:
    """`n` events numbered from `first`, each about the word "zebra" and its number."""
    records = tuple(
        EventRecord(
            f"ev-z{i:05d}",
            FuzzyDate.parse(f"2024-{1 + i % 12:02d}"),
            f"Zebra report {i}",
            f"A zebra crossing number z{i} was counted.",
            src(),
            ("russia",),
            ("nato-ukraine",),
        )
        for i in range(first, first + n)
    )
    return dataclasses.replace(small_dataset(), positions=(), events=records)


async def segments(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(SEGMENTS)).scalar_one())


async def fragmented(store: Store, imports: int = 3) -> None:
    """The small dataset, then `imports` small imports, each its own transaction (a segment each)."""
    assert (await store.writes.import_dataset(small_dataset())).ok
    for i in range(imports):
        assert (await store.writes.import_dataset(events(i * 10, 10))).ok


async def answer(store: Store, query: str) -> list[str]:
    return [hit.entry_id for hit in (await store.reads.search(None, query)).hits]


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    async with database_url("sqlite", tmp_path) as url:
        engine = create_engine(url)
        await ensure_schema(engine)
        yield Store(engine, cache_ttl=0)
        await engine.dispose()


async def test_a_large_import_leaves_one_segment(sqlite_store: Store) -> None:
    """After an import of MERGE_MIN_DOCS documents the index is one segment, and it finds what
    the earlier imports and this one wrote."""
    await fragmented(sqlite_store)
    assert await segments(sqlite_store.engine) > 1
    assert (await sqlite_store.writes.import_dataset(events(1000, MERGE_MIN_DOCS))).ok
    assert await segments(sqlite_store.engine) == 1
    assert await answer(sqlite_store, "z5") == ["ev-z00005"]
    assert await answer(sqlite_store, "z1999") == ["ev-z01999"]


async def test_a_dry_run_reports_a_large_import_without_merging_the_index(sqlite_store: Store) -> None:
    """A dry run of MERGE_MIN_DOCS documents reports them all, but does not merge the index only
    to roll the merge back; the same import done for real merges it."""
    await fragmented(sqlite_store)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(sqlite_store.engine.sync_engine, "before_cursor_execute", seen)
    report = await sqlite_store.writes.import_dataset(events(1000, MERGE_MIN_DOCS), dry_run=True)
    assert report.ok and not report.applied and len(report.added) == MERGE_MIN_DOCS
    assert any("INSERT INTO entry_search " in s for s in statements)  # the documents were written
    assert not any("'optimize'" in s for s in statements)
    assert await answer(sqlite_store, "z1999") == []
    assert (await sqlite_store.writes.import_dataset(events(1000, MERGE_MIN_DOCS))).applied
    assert any("'optimize'" in s for s in statements)
    assert await segments(sqlite_store.engine) == 1


async def test_a_small_import_keeps_the_segments(sqlite_store: Store) -> None:
    """A small import does not rewrite the whole index (a curator's import would wait for it)."""
    await fragmented(sqlite_store)
    assert await segments(sqlite_store.engine) > 1
    assert (await sqlite_store.writes.import_dataset(events(500, 10))).ok
    assert await segments(sqlite_store.engine) > 1
    assert await answer(sqlite_store, "z505") == ["ev-z00505"]


def _to(revision: str) -> Callable[[Connection], None]:
    def move(conn: Connection) -> None:
        config = alembic_config(conn)
        if revision == "0013":
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)

    return move


async def test_migration_merges_the_index_and_answers_stay(engine: AsyncEngine) -> None:
    """From 0013 a fragmented index becomes one segment (SQLite); down and up again, searches
    answer as before on both databases."""
    await upgrade(engine)
    store = Store(engine, cache_ttl=0)
    async with engine.begin() as conn:
        await conn.run_sync(_to("0013"))
    await fragmented(store)
    before = [await answer(store, q) for q in ("zebra", "z12", "peacekeepers")]
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        assert await segments(engine) > 1
    async with engine.begin() as conn:
        await conn.run_sync(_to("head"))
    if sqlite:
        assert await segments(engine) == 1
    assert [await answer(store, q) for q in ("zebra", "z12", "peacekeepers")] == before
    async with engine.begin() as conn:
        await conn.run_sync(_to("0013"))
    assert [await answer(store, q) for q in ("zebra", "z12", "peacekeepers")] == before
