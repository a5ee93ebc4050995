"""Upgrading from an empty database, the models matching the migrations, pre-migration tables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.dataset.parse import parse_data
from bot.db.migrations import BASELINE, head_revision, include_object_for
from bot.db.models import Base
from bot.db.schema import SchemaError, schema_status, upgrade
from bot.db.search import SEARCH_TABLE
from bot.domain import TimelineQuery
from bot.store import Store
from tests.db.rows import fill, missing_rows, snapshot
from tests.store.conftest import small_dataset


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _diff(conn: Connection) -> list[object]:
    opts = {"include_object": include_object_for(conn.dialect.name), "compare_type": True}
    context = MigrationContext.configure(conn, opts=opts)
    return list(compare_metadata(context, Base.metadata))


async def test_empty_database_gets_every_table_and_the_search_index(engine: AsyncEngine) -> None:
    """Upgrading an empty database creates every model table and the search index, at head."""
    await upgrade(engine)
    async with engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert set(Base.metadata.tables) | {SEARCH_TABLE, "alembic_version"} <= tables
    status = await schema_status(engine)
    assert status.up_to_date
    assert status.current == head_revision()


async def test_migrated_store_imports_and_searches(engine: AsyncEngine) -> None:
    """On a migrated database the store imports the small dataset and full-text search finds it."""
    await upgrade(engine)
    store = Store(engine, cache_ttl=0)
    report = await store.writes.import_dataset(small_dataset())
    assert report.ok, report.problems
    hits = (await store.reads.search(None, "summit")).hits
    assert {h.entry_id for h in hits} == {"ev-2008", "ev-2023", "ev-2024"}


async def test_models_and_migrations_do_not_drift(engine: AsyncEngine) -> None:
    """Alembic's compare_metadata finds no difference between the migrated schema and the models."""
    await upgrade(engine)
    async with engine.connect() as conn:
        assert await conn.run_sync(_diff) == []


async def test_upgrade_twice_changes_nothing(engine: AsyncEngine) -> None:
    """A second upgrade of a database at head is a no-op that keeps every row."""
    await upgrade(engine)
    before = await fill(engine)
    await upgrade(engine)
    assert missing_rows(before, await snapshot(engine)) == []


async def _make_pre_migration_database(engine: AsyncEngine) -> None:
    # The baseline emits the same DDL as the old create_all path; without alembic_version,
    # that is what a database from before migrations looks like.
    await upgrade(engine, BASELINE)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE alembic_version"))


async def test_pre_migration_tables_are_recognised_as_the_baseline(engine: AsyncEngine) -> None:
    """Tables made by create_all before migrations, with no version, count as the baseline."""
    await _make_pre_migration_database(engine)
    status = await schema_status(engine)
    assert (status.current, status.legacy, status.effective) == (None, True, BASELINE)
    assert status.problem() is None


async def test_pre_migration_database_is_stamped_and_upgraded_keeping_rows(engine: AsyncEngine) -> None:
    """Upgrading pre-migration tables records the baseline, runs the later revisions, keeps every row."""
    await _make_pre_migration_database(engine)
    before = await fill(engine)
    await upgrade(engine)
    assert (await schema_status(engine)).up_to_date
    assert missing_rows(before, await snapshot(engine)) == []


async def test_unversioned_tables_unlike_the_baseline_are_refused(engine: AsyncEngine) -> None:
    """Unversioned tables that are not the baseline's are refused, naming the difference."""
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE actors (id INTEGER PRIMARY KEY, nickname TEXT)"))
    status = await schema_status(engine)
    assert not status.empty and not status.legacy
    with pytest.raises(SchemaError, match=r"not the baseline schema.*table actors"):
        await upgrade(engine)
    async with engine.connect() as conn:
        assert "alembic_version" not in await conn.run_sync(_tables)


async def test_entry_id_autocomplete_walks_the_scope_index_in_order(engine: AsyncEngine) -> None:
    """The autocomplete query walks (guild_id, id) from the prefix in id order: no scan, no sort."""
    await upgrade(engine)
    statements: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        if "UNION ALL" in statement:
            statements.append((statement, parameters))

    # Any engine's: on a SQLite file the read runs on the store's own sync engine (bot.db.onehop).
    event.listen(Engine, "before_cursor_execute", grab)
    try:
        await Store(engine, cache_ttl=0).reads.complete_entry_ids(123, "ev-20")
    finally:
        event.remove(Engine, "before_cursor_execute", grab)
    ((statement, parameters),) = statements
    postgres = engine.dialect.name == "postgresql"
    async with engine.connect() as conn:
        if postgres:
            await conn.execute(text("SET enable_seqscan = off"))  # the tables are empty: force the choice
        explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
        plan = "\n".join(str(row[-1]) for row in await conn.exec_driver_sql(explain + statement, parameters))
    for table in ("positions", "events"):
        assert f"ix_{table}_scope_id" in plan, plan
    assert ("Sort" not in plan) if postgres else ("TEMP B-TREE" not in plan), plan


async def test_event_topics_get_their_events_date_scope_and_visibility(engine: AsyncEngine) -> None:
    """0004 fills each topic link with its event's scope, date, precision and removal, and timelines read them."""
    await upgrade(engine, "0003")
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO topics (id, guild_id, slug, title, summary, created_at, updated_at) "
                "VALUES (1, 0, 'talks', 'Talks', '', '2025-01-01', '2025-01-01')"
            )
        )
        for i, (guild, day, precision, removed) in enumerate(
            (
                (0, "2024-05-01", "month", None),
                (77, "2025-02-03", "day", None),
                (0, "2023-01-01", "year", "2025-03-01"),
            )
        ):
            await conn.execute(
                text(
                    "INSERT INTO events (id, guild_id, occurred_on, precision, title, summary, status, status_note, "
                    "sources, removed_at, created_at, updated_at) VALUES (:id, :g, :d, :p, 't', 's', 'verified', '', "
                    "'[]', :r, '2025-01-01', '2025-01-01')"
                ),
                {
                    "id": f"ev-{i}",
                    "g": guild,
                    "d": date.fromisoformat(day),
                    "p": precision,
                    "r": datetime.fromisoformat(removed) if removed else None,
                },
            )
            await conn.execute(
                text("INSERT INTO event_topics (event_id, topic_id) VALUES (:id, 1)"), {"id": f"ev-{i}"}
            )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT event_id, guild_id, occurred_on, precision, removed FROM event_topics ORDER BY event_id"
                )
            )
        ).all()
    assert [(r[0], r[1], str(r[2]), r[3], bool(r[4])) for r in rows] == [
        ("ev-0", 0, "2024-05-01", "month", False),
        ("ev-1", 77, "2025-02-03", "day", False),
        ("ev-2", 0, "2023-01-01", "year", True),
    ]
    timeline = await Store(engine, cache_ttl=0).reads.timeline(None, TimelineQuery("talks"), 0, 10)
    assert (timeline.total, [e.id for e in timeline.items]) == (1, ["ev-0"])


async def test_duplicate_digest_subscriptions_are_merged_into_the_oldest(engine: AsyncEngine) -> None:
    """0007 keeps the oldest of each (server, channel, topics) duplicate, topic order aside, then forbids more."""
    await upgrade(engine, "0006")  # the revision before 0007
    rows = [
        (1, 10, 100, '["talks", "aid"]'),
        (2, 10, 100, '["aid", "talks"]'),  # the same topics in another order: a duplicate
        (3, 10, 100, '["aid"]'),
        (4, 10, 100, "[]"),
        (5, 10, 100, "[]"),
        (6, 20, 100, '["aid", "talks"]'),  # another server's
    ]
    async with engine.begin() as conn:
        for row_id, guild, channel, topics in rows:
            await conn.execute(
                text(
                    "INSERT INTO digest_subscriptions (id, guild_id, channel_id, topics, cadence, time_of_day, "
                    "timezone, weekday, post_empty, active, disabled_reason, created_by, created_at, covered_until, "
                    "next_due_at, claimed_by, failures, last_error) VALUES (:id, :g, :c, :t, 'daily', '09:00', "
                    "'UTC', 0, false, true, '', 1, :at, :at, :at, '', 0, '')"
                ),
                {"id": row_id, "g": guild, "c": channel, "t": topics, "at": datetime(2025, 1, 1)},
            )
        await conn.execute(
            text(
                "INSERT INTO digest_deliveries (subscription_id, period, nonce, covered_from, covered_until, "
                "status, message_ids, attempts, claimed_at) VALUES (2, 'p', 'n', :at, :at, 'posted', '[]', 1, :at)"
            ),
            {"at": datetime(2025, 1, 1)},
        )
    await upgrade(engine)
    async with engine.connect() as conn:
        kept = (await conn.execute(text("SELECT id, topics_key FROM digest_subscriptions ORDER BY id"))).all()
        deliveries = (await conn.execute(text("SELECT count(*) FROM digest_deliveries"))).scalar()
    assert [tuple(r) for r in kept] == [(1, "aid,talks"), (3, "aid"), (4, ""), (6, "aid,talks")]
    assert deliveries == 0
    with pytest.raises(Exception, match=r"(?i)unique"):
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO digest_subscriptions (guild_id, channel_id, topics, topics_key, cadence, "
                    "time_of_day, timezone, weekday, post_empty, active, disabled_reason, created_by, created_at, "
                    "covered_until, next_due_at, claimed_by, failures, last_error) VALUES (10, 100, '[]', '', "
                    "'daily', '09:00', 'UTC', 0, false, true, '', 1, :at, :at, :at, '', 0, '')"
                ),
                {"at": datetime(2025, 1, 1)},
            )


async def test_entry_ids_become_per_scope_keeping_links_and_search(engine: AsyncEngine) -> None:
    """0012 gives each event link its event's scope and keys entries by (id, scope): rows and the
    search index are kept, and afterwards another server may hold the same id."""
    await upgrade(engine, "0011")
    async with engine.begin() as conn:
        for table, row_id in (("actors", 1), ("topics", 1)):
            columns = "slug, name, kind, aliases" if table == "actors" else "slug, title, summary"
            values = "'ru', 'Russia', 'state', '[]'" if table == "actors" else "'talks', 'Talks', ''"
            await conn.execute(
                text(
                    f"INSERT INTO {table} (id, guild_id, {columns}, created_at, updated_at) "  # noqa: S608
                    f"VALUES ({row_id}, 0, {values}, '2025-01-01', '2025-01-01')"
                )
            )
        await conn.execute(
            text(
                "INSERT INTO events (id, guild_id, occurred_on, precision, title, summary, status, status_note, "
                "sources, created_at, updated_at) VALUES ('ev-x', 77, :d, 'day', 'Talks in Riyadh', 's', "
                "'reported', '', '[]', :at, :at)"
            ),
            {"d": date(2025, 2, 3), "at": datetime(2025, 1, 1)},
        )
        await conn.execute(text("INSERT INTO event_actors (event_id, actor_id) VALUES ('ev-x', 1)"))
        await conn.execute(
            text(
                "INSERT INTO event_topics (event_id, topic_id, guild_id, occurred_on, precision, removed) "
                "VALUES ('ev-x', 1, 77, :d, 'day', false)"
            ),
            {"d": date(2025, 2, 3)},
        )
        await conn.execute(
            text(
                f"INSERT INTO {SEARCH_TABLE} (entry_id, guild_id, kind, title, body, names) "  # noqa: S608
                "VALUES ('ev-x', 77, 'event', 'Talks in Riyadh', 's', 'Russia Talks')"
            )
        )
    await upgrade(engine)
    async with engine.connect() as conn:
        links = (await conn.execute(text("SELECT event_id, actor_id, guild_id FROM event_actors"))).all()
    assert [tuple(r) for r in links] == [("ev-x", 1, 77)]
    store = Store(engine, cache_ttl=0)
    detail = await store.reads.entry(77, "ev-x")
    assert ([a.slug for a in detail.entry.actors], [t.slug for t in detail.entry.topics]) == (
        ["ru"],
        ["talks"],
    )
    assert [h.entry_id for h in (await store.reads.search(77, "riyadh")).hits] == ["ev-x"]
    same_id = {
        "id": "ev-x",
        "date": "2025-03",
        "title": "Talks in Jeddah",
        "summary": "s",
        "actors": ["ru"],
        "topics": ["talks"],
        "status": "reported",
        "sources": [{"url": "https://example.org/a", "publisher": "P"}],
    }
    ds, problems = parse_data({"events": [same_id]}, "local.yaml")
    assert problems == []
    assert (await store.writes.import_dataset(ds, guild_id=88)).added == ["event ev-x"]
    assert (await store.reads.entry(77, "ev-x")).entry.title == "Talks in Riyadh"
    assert [h.entry_id for h in (await store.reads.search(88, "jeddah")).hits] == ["ev-x"]
