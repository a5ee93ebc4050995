"""One migrator at a time: a PostgreSQL advisory lock, or SQLite's write lock (BEGIN IMMEDIATE)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SQLITE_BUSY_TIMEOUT_MS
from bot.db.locks import advisory_xact_lock

T = TypeVar("T")

PG_SCHEMA_LOCK_KEY = 0x42_52_49_45  # an arbitrary constant: one advisory lock for schema work
# How long a second process waits for another one's migration on SQLite before giving up.
SQLITE_LOCK_WAIT_MS = 300_000


async def run_locked(engine: AsyncEngine, fn: Callable[[Connection], T]) -> T:
    """Run `fn` in one transaction that holds the schema lock; commit when it returns."""
    if engine.dialect.name == "sqlite":
        async with engine.connect() as conn:
            return await conn.run_sync(_sqlite_locked, fn)
    async with engine.begin() as conn:
        await advisory_xact_lock(conn, PG_SCHEMA_LOCK_KEY)
        return await conn.run_sync(fn)


def _sqlite_locked(conn: Connection, fn: Callable[[Connection], T]) -> T:
    # Batch ALTERs rebuild a table (copy, drop, rename): with foreign keys on, dropping a parent
    # table would cascade to or be refused by its children. The pragma is a no-op inside a
    # transaction, so it goes through the raw connection before BEGIN (SQLAlchemy's execute
    # would begin one); foreign_key_check below re-checks everything before the commit.
    _pragmas(conn, "foreign_keys=OFF", f"busy_timeout={SQLITE_LOCK_WAIT_MS}")
    try:
        conn.execution_options(sqlite_immediate=True)  # the engine's begin hook: BEGIN IMMEDIATE
        with conn.begin():
            result = fn(conn)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")
        return result
    finally:
        _pragmas(conn, "foreign_keys=ON", f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def _pragmas(conn: Connection, *pragmas: str) -> None:
    cursor = conn.connection.cursor()
    try:
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()
