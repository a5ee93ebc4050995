"""An answer's reads in one hop: a plain function of a sync `Connection`, run where the database is.

Through aiosqlite every statement costs four thread hops (open a cursor, execute, fetch, close),
each a wake-up of aiosqlite's thread and then of the event loop: ~0.3 ms per statement before
SQLite does any work, and `AsyncConnection.run_sync` still pays them per statement. On a SQLite
file the whole function instead runs on a worker thread with its own pysqlite connection: one
hop per answer, and its statements read one snapshot (a deferred BEGIN, rolled back after).
Elsewhere (PostgreSQL, an in-memory SQLite) the same function runs through `run_sync`, each
statement a round trip, with no transaction around them (as the read sessions do).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import JSON_CODEC, configure_sqlite, sqlite_busy_ms

T = TypeVar("T")


def _read_threads() -> int:
    """Answers read concurrently: SQLite releases the GIL while it steps, so up to one reader per
    core this process may use (at least 2, at most 4). More readers than cores only time-slice
    the same work: on 2 cores, 4 readers made the mixed load's p99 ~18 % slower than 2."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 2
    return max(2, min(4, cores))


READ_THREADS = _read_threads()


class OneHop:
    """Runs read functions of a sync Connection for `engine`'s database, one hop each."""

    def __init__(self, engine: AsyncEngine, threads: int = READ_THREADS) -> None:
        self._engine = engine
        self._threads = threads
        self._lock = threading.Lock()
        self._sync: Engine | None = None
        self._executor: ThreadPoolExecutor | None = None
        url = engine.url
        memory = not url.database or url.database == ":memory:" or "memory" in str(url.query.get("mode", ""))
        self._file = engine.dialect.name == "sqlite" and not memory
        if self._file:
            event.listen(engine.sync_engine, "engine_disposed", self._dispose)
        else:
            self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """`fn(connection)`'s result; `fn` only reads (it runs inside a transaction rolled back after)."""
        if not self._file:
            async with self._autocommit.connect() as conn:
                return await conn.run_sync(fn)
        sync, executor = self._resources()
        return await asyncio.get_running_loop().run_in_executor(executor, _call, sync, fn)

    def _resources(self) -> tuple[Engine, ThreadPoolExecutor]:
        with self._lock:
            if self._sync is None or self._executor is None:
                url = self._engine.url.set(drivername="sqlite+pysqlite")
                busy_ms = sqlite_busy_ms(self._engine)
                self._sync = create_sync_engine(
                    url,
                    connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
                    pool_size=self._threads,
                    max_overflow=0,
                    **JSON_CODEC,
                )
                configure_sqlite(self._sync, busy_ms)
                self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="db-read")
            return self._sync, self._executor

    def _dispose(self, _engine: Any) -> None:
        """The async engine was disposed: close our connections too (a later read opens new ones)."""
        with self._lock:
            sync, executor = self._sync, self._executor
            self._sync = self._executor = None
        if executor is not None:
            executor.shutdown(wait=True)  # reads still running finish first: their connections close below
        if sync is not None:
            sync.dispose()


def _call(engine: Engine, fn: Callable[[Connection], T]) -> T:
    with engine.connect() as conn:
        return fn(conn)
