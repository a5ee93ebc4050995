"""Write locks inside a session's transaction: SQLite's writer lock and PostgreSQL advisory locks.

SQLite serializes writers: a write transaction begins with BEGIN IMMEDIATE (the engine's begin hook,
bot.db.engine, reads the `sqlite_immediate` option) so that it waits for the lock at its start instead
of failing on its first write. PostgreSQL takes row locks by itself; work that must not run twice at
once (imports, the audit gate, schema migrations) names a transaction advisory lock, released at
commit or rollback.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


async def begin_write(session: AsyncSession) -> AsyncConnection:
    """The session's connection, its transaction started as a write (BEGIN IMMEDIATE on SQLite).

    Call first in the transaction: once the session has a connection, the option has no effect.
    """
    return await session.connection(execution_options={"sqlite_immediate": True})


async def advisory_xact_lock(
    target: AsyncSession | AsyncConnection, key: int, *, shared: bool = False
) -> None:
    """On PostgreSQL, hold advisory lock `key` (shared or exclusive) until the transaction of
    `target` (a session, or a connection in a transaction) ends.

    A no-op elsewhere (SQLite's writer lock already serializes every write transaction).
    """
    conn = await target.connection() if isinstance(target, AsyncSession) else target
    if conn.dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    await target.execute(text(f"SELECT {function}(:k)"), {"k": key})
