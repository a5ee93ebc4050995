"""A pooled PostgreSQL connection that died (server restart, idle kill) costs no answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bot.db.engine import create_engine
from bot.db.schema import ensure_schema
from bot.store import Store
from tests.store.conftest import small_dataset
from tests.support.databases import database_url
from tests.support.reads import current_positions


async def test_a_read_after_the_server_dropped_pooled_connections_is_answered(tmp_path: Path) -> None:
    """Every pooled connection is terminated by the server; the next question is still answered."""
    async with database_url("postgres", tmp_path) as url:
        engine = create_engine(url)
        try:
            await ensure_schema(engine)
            store = Store(engine, cache_ttl=0)
            assert (await store.writes.import_dataset(small_dataset())).ok
            await current_positions(store.reads, None, "russia")  # a pooled connection now exists
            admin = create_engine(url)
            try:
                async with admin.connect() as conn:
                    await conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        )
                    )
            finally:
                await admin.dispose()
            await asyncio.sleep(0.2)  # a question comes later: the server's goodbye reached the idle socket
            _actor, _topic, positions = await current_positions(store.reads, None, "nato")
            assert positions
        finally:
            await engine.dispose()
