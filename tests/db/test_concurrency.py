"""Several processes starting together on one database migrate it once."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine
from bot.db.migrations import revision_chain
from bot.db.models import Base
from bot.db.schema import schema_status, upgrade
from bot.db.search import SEARCH_TABLE
from tests.db.cli import child_env, run_bot


async def _assert_one_schema_at_head(engine: AsyncEngine) -> None:
    assert (await schema_status(engine)).up_to_date
    async with engine.connect() as conn:
        versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert versions == [revision_chain()[-1]]
    assert set(Base.metadata.tables) | {SEARCH_TABLE} <= tables


async def test_two_engines_upgrading_together_migrate_once(
    db_url: str, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    """Two concurrent upgrades of one empty database both succeed; each revision runs once."""
    caplog.set_level(logging.INFO, logger="alembic")
    other = create_engine(db_url)
    try:
        await asyncio.gather(upgrade(engine), upgrade(other))
    finally:
        await other.dispose()
    runs = Counter(r.getMessage() for r in caplog.records if r.getMessage().startswith("Running upgrade"))
    # the messages themselves on failure: this failed once, unreproduced, with no record of why
    assert len(runs) == len(revision_chain()), [r.getMessage() for r in caplog.records]
    assert set(runs.values()) == {1}, runs
    await _assert_one_schema_at_head(engine)


async def test_processes_migrating_one_sqlite_file_together(tmp_path: Path) -> None:
    """Three `python -m bot migrate` processes on one new SQLite file all succeed; one schema results."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    env = child_env(url)
    results = await asyncio.gather(*(run_bot(["migrate"], env, tmp_path) for _ in range(3)))
    assert [r.code for r in results] == [0, 0, 0], [r.err for r in results]
    engine = create_engine(url)
    try:
        await _assert_one_schema_at_head(engine)
    finally:
        await engine.dispose()
