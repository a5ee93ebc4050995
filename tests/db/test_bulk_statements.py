"""The CLI's import runs statements as long as they take on PostgreSQL; the bot's stay bounded.

DATABASE_TIMEOUT_SECONDS bounds each statement of the running bot (a write from Discord answers
"busy, try again" instead of hanging). A CLI import of a large store runs statements longer than
that (the search index of 126,000 entries is one statement of ~30 s); bounded, it failed with
"database unreachable: no answer in time". Here a lock held for longer than the timeout stands
in for a long statement.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.engine import create_engine
from tests.conftest import REPO_ROOT
from tests.db.cli import child_env, run_bot
from tests.support.databases import database_url

pytestmark = pytest.mark.postgres

TIMEOUT = "0.5"
HOLD_SECONDS = 5.0


async def _hold_lock(url: str, table: str, held: asyncio.Event) -> None:
    """Lock `table` against writers for HOLD_SECONDS."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            held.set()
            await asyncio.sleep(HOLD_SECONDS)
    finally:
        await engine.dispose()


async def test_an_import_waits_past_the_bots_statement_timeout(tmp_path: Path) -> None:
    async with database_url("postgres", tmp_path) as url:
        env = child_env(url, DATABASE_TIMEOUT_SECONDS=TIMEOUT)
        migrated = await run_bot(["migrate"], env, REPO_ROOT)
        assert migrated.code == 0, migrated.err
        held = asyncio.Event()
        locker = asyncio.create_task(_hold_lock(url, "actors", held))
        await held.wait()
        done = await run_bot(["import", str(REPO_ROOT / "data")], env, REPO_ROOT)
        await locker
        assert done.code == 0, done.err
        assert "no answer in time" not in done.err
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                assert (await conn.execute(text("SELECT count(*) FROM actors"))).scalar_one() > 0
        finally:
            await engine.dispose()


async def test_the_bots_engine_still_bounds_each_statement(tmp_path: Path) -> None:
    async with database_url("postgres", tmp_path) as url:
        bot_engine = create_engine(url, timeout=float(TIMEOUT))
        bulk_engine = create_engine(url, timeout=float(TIMEOUT), bulk=True)
        try:
            with pytest.raises(TimeoutError):
                async with bot_engine.connect() as conn:
                    await conn.execute(text("SELECT pg_sleep(1.5)"))
            async with bulk_engine.connect() as conn:
                await conn.execute(text("SELECT pg_sleep(1.5)"))
        finally:
            await bot_engine.dispose()
            await bulk_engine.dispose()
