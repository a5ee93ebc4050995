"""A connection to a SQLite file not yet in WAL mode while another connection writes to it.

Switching a file to WAL takes an exclusive lock, and SQLite refuses it at once — without its busy
handler — while another connection holds a lock: two processes creating one store together failed
to connect with "database is locked" (seen as a flaky two-engine migration test). The connection
now waits for the writer, within the busy timeout, and then finds or makes the file WAL.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.db.engine import create_engine


def _writer_holding(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection in the middle of a write to a new file (rollback journal mode)."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    return holder


async def test_a_connection_waits_for_a_writer_on_a_file_not_yet_in_wal(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    holder = _writer_holding(path)
    commit = threading.Timer(0.3, holder.execute, ("COMMIT",))
    commit.start()
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("SELECT count(*) FROM t")).scalar() == 1  # after the commit
    finally:
        commit.join()
        await engine.dispose()
        holder.close()


async def test_a_writer_that_outlasts_the_busy_timeout_still_fails_the_connection(tmp_path: Path) -> None:
    """Waiting is bounded: past DATABASE_TIMEOUT_SECONDS the connection fails as any busy wait does."""
    path = tmp_path / "new.sqlite3"
    holder = _writer_holding(path)
    engine = create_engine(f"sqlite+aiosqlite:///{path}", timeout=0.2)
    try:
        with pytest.raises(OperationalError, match="locked"):
            async with engine.connect():
                pass
    finally:
        await engine.dispose()
        holder.execute("ROLLBACK")
        holder.close()
