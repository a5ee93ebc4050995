"""Engine and session factory, built at startup (never at import)."""

from __future__ import annotations

import logging
import weakref
from typing import Any

import orjson
from sqlalchemy import Engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000  # without a configured timeout (CLI imports may wait long)
SQLITE_AUTOCOMMIT = "sqlite_autocommit"  # execution option: emit no BEGIN (reads only)

# Per-connection PostgreSQL settings. asyncpg prepares every statement, and after five runs
# PostgreSQL may switch to a generic plan that ignores the values: for "this topic's events" or
# "ids starting with x" that means scanning every row (measured: /timeline p50 37 ms → 5 ms).
# JIT compilation pays off for analytics, not for millisecond lookups.
POSTGRES_SETTINGS = {"plan_cache_mode": "force_custom_plan", "jit": "off"}


def _to_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


JSON_CODEC: dict[str, Any] = {"json_serializer": _to_json, "json_deserializer": orjson.loads}
"""JSON columns (sources, aliases, audit before/after) written and read through orjson: a large
import spent ~2 s of ~20 in the standard library's json.dumps. New rows hold compact JSON, older
ones the standard library's spacing; both read back the same."""


def create_engine(
    url: str, *, echo: bool = False, timeout: float | None = None, bulk: bool = False
) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE writes.

    `timeout` (seconds; DATABASE_TIMEOUT_SECONDS for the bot) bounds every wait on the database:
    SQLite's busy timeout (a locked file); on PostgreSQL each statement (asyncpg's
    command_timeout: a silent network cut never answers), each connect, and a pool checkout.
    None: SQLite waits 10 s, PostgreSQL as long as it takes. `bulk` (the CLI's import and export):
    PostgreSQL statements run as long as they take — loading a large store's search index is one
    statement of half a minute — while connecting and pool checkout stay bounded by `timeout`.
    """
    if url.startswith("sqlite"):
        busy_ms = SQLITE_BUSY_TIMEOUT_MS if timeout is None else max(1, int(timeout * 1000))
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": busy_ms / 1000}, **JSON_CODEC)
        configure_sqlite(engine.sync_engine, busy_ms)
        return engine
    connect_args: dict[str, Any] = {}
    pool_args: dict[str, Any] = {}
    if url.startswith("postgresql+asyncpg"):
        connect_args["server_settings"] = dict(POSTGRES_SETTINGS)
        if timeout is not None:
            connect_args["timeout"] = timeout  # connecting
            if not bulk:
                connect_args["command_timeout"] = timeout  # each statement
            pool_args["pool_timeout"] = timeout  # waiting for a free pooled connection
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=10,
        max_overflow=10,
        connect_args=connect_args,
        **pool_args,
        **JSON_CODEC,
    )
    _discard_closed_connections(engine)
    return engine


def _discard_closed_connections(engine: AsyncEngine) -> None:
    """A pooled connection the server or the network closed is replaced at checkout, without a round trip.

    Instead of `pool_pre_ping` (a SELECT 1 before every checkout: one more round trip per answer),
    the pool asks the driver whether the connection is still open — asyncpg knows once the server
    closed it (a restart, an idle timeout, pg_terminate_backend). A connection that dies while in
    use fails that request ("database unreachable"); SQLAlchemy then invalidates it and every
    connection pooled before it, so the next request connects afresh.
    """

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_conn, "driver_connection", None)
        is_closed = getattr(driver, "is_closed", None)
        if is_closed is not None and is_closed():
            raise sa_exc.DisconnectionError("the server closed this pooled connection")


_BUSY_MS: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()


def sqlite_busy_ms(engine: AsyncEngine) -> int:
    """The busy timeout `create_engine` gave this SQLite engine (in milliseconds)."""
    return _BUSY_MS.get(engine.sync_engine, SQLITE_BUSY_TIMEOUT_MS)


def configure_sqlite(engine: Engine, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    """WAL, the busy timeout, foreign keys on every connection; BEGIN emitted by SQLAlchemy itself."""
    _BUSY_MS[engine] = busy_ms

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit transactions defer
        # the write lock, which turns concurrent writers into "database is locked").
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        _enter_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get(SQLITE_AUTOCOMMIT, False):
            return  # a read session (make_read_sessionmaker): each statement on its own
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate", False) else "BEGIN")


_WAL_ATTEMPTS = 5


def _enter_wal(cursor: Any) -> None:
    """Put the file in WAL mode (a no-op once it is: the mode is kept in the file).

    A file not yet in WAL needs an exclusive lock to switch, and while another connection holds a
    lock on it SQLite refuses at once, without waiting in its busy handler (that could deadlock):
    two processes creating one store together failed to connect with "database is locked". Here
    the other connection's write is waited out through the busy handler (BEGIN IMMEDIATE waits
    up to the busy timeout), then the switch is tried again — by then usually already done.
    """
    for attempt in range(_WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as exc:  # the driver's OperationalError, whichever driver module raised it
            if "database is locked" not in str(exc) or attempt == _WAL_ATTEMPTS - 1:
                raise
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("ROLLBACK")


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
