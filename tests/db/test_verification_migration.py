"""Migration 0008: the verification column comes and goes without touching the entries."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrations import alembic_config
from bot.db.schema import upgrade
from bot.store import Store
from tests.store.conftest import small_dataset

REVISION = "0008"


def _columns(conn: Connection, table: str) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(table)}


def _down(conn: Connection) -> None:
    command.downgrade(alembic_config(conn), f"{REVISION}-1")


async def test_upgrade_adds_null_caveats_and_downgrade_keeps_entries(engine: AsyncEngine) -> None:
    """Rows written before 0008 read back with no caveat; going back down drops only the column."""
    await upgrade(engine, f"{REVISION}-1")
    async with engine.connect() as conn:
        assert "verification" not in await conn.run_sync(_columns, "events")
    await upgrade(engine)
    store = Store(engine, cache_ttl=0)
    assert (await store.writes.import_dataset(small_dataset())).ok
    assert (await store.reads.entry(None, "ev-2008")).entry.verification is None
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE events SET verification = 'unverified' WHERE id = 'ev-2008'"))
        await conn.run_sync(_down)
    async with engine.connect() as conn:
        for table in ("events", "positions"):
            assert "verification" not in await conn.run_sync(_columns, table)
        events = (await conn.execute(text("SELECT count(*) FROM events"))).scalar_one()
        links = (await conn.execute(text("SELECT count(*) FROM event_topics"))).scalar_one()
    assert events == 5 and links == 6
