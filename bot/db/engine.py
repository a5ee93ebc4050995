"""Engine and session factory, built at startup (never at import)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_AUTOCOMMIT = "sqlite_autocommit"  # execution option: emit no BEGIN (reads only)

# Per-connection PostgreSQL settings. asyncpg prepares every statement, and after five runs
# PostgreSQL may switch to a generic plan that ignores the values: for "this topic's events" or
# "ids starting with x" that means scanning every row (measured: /timeline p50 37 ms → 5 ms).
# JIT compilation pays off for analytics, not for millisecond lookups.
POSTGRES_SETTINGS = {"plan_cache_mode": "force_custom_plan", "jit": "off"}


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE writes."""
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql+asyncpg"):
        connect_args["server_settings"] = dict(POSTGRES_SETTINGS)
    return create_async_engine(
        url, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True, connect_args=connect_args
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit transactions defer
        # the write lock, which turns concurrent writers into "database is locked").
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get(SQLITE_AUTOCOMMIT, False):
            return  # a read session (make_read_sessionmaker): each statement on its own
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate", False) else "BEGIN")


def make_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for answering questions: no transaction, each statement reads the latest commit.

    A BEGIN/ROLLBACK pair costs two round trips to PostgreSQL, and on SQLite four thread hops of
    aiosqlite: more than the statement it wraps, for most answers. An answer that reads twice may
    see a write land between its reads (a count one row off its page, say); the result cache
    drops it with the version that write brings (at once in this process, within
    CACHE_TTL_SECONDS in others), as it drops every answer older than a write.
    """
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(**{SQLITE_AUTOCOMMIT: True})
    else:
        bind = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(bind, expire_on_commit=False)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded attributes after commit (we return plain objects, not live rows)."""
    return async_sessionmaker(engine, expire_on_commit=False)
