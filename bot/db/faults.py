"""What an exception says about the database: busy (locked, pool exhausted) or unreachable."""

from __future__ import annotations

import asyncio
from typing import Literal

from sqlalchemy import exc as sa_exc

Cause = Literal["busy", "unreachable"]

_BUSY_WORDS = ("database is locked", "database is busy", "database table is locked")
_UNREACHABLE_WORDS = (
    "unable to open database",
    "disk i/o error",
    "connection",  # refused, reset, closed, does not exist, was invalidated …
    "could not connect",
    "timeout",
    "timed out",
    "server closed",
    "the database system is",  # … starting up / shutting down / in recovery mode
    "too many clients",
)


def database_cause(error: BaseException | None) -> Cause | None:
    """ "busy" or "unreachable" if `error` (or what caused it) is the database failing to answer.

    SQLite's "database is locked" after its busy timeout, and a pool with no free connection,
    are "busy"; a timeout (asyncpg's command or connect timeout: a silent network cut), a
    refused or dropped connection, or an unopenable file is "unreachable". Constraint
    violations, a missing table and programming errors are neither: they are bugs, not outages.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        text = str(error).lower()
        if isinstance(error, sa_exc.TimeoutError):  # QueuePool: no connection free in time
            return "busy"
        if isinstance(error, sa_exc.OperationalError):
            if any(w in text for w in _BUSY_WORDS):
                return "busy"
            if any(w in text for w in _UNREACHABLE_WORDS):
                return "unreachable"
            # e.g. "no such table": a broken schema is a bug to log, not an outage; look deeper
            error = error.__cause__ or error.__context__
            continue
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return "unreachable"
        if isinstance(error, sa_exc.InterfaceError):
            return "unreachable"
        if isinstance(error, TimeoutError | asyncio.TimeoutError | ConnectionError | OSError):
            return "unreachable"
        if type(error).__module__.startswith("asyncpg") and (
            "connection" in type(error).__name__.lower() or "interface" in type(error).__name__.lower()
        ):
            return "unreachable"
        error = error.__cause__ or error.__context__
    return None


def cause_text(cause: Cause) -> str:
    """`the database is busy` / `the database is unreachable`."""
    return f"the database is {cause}"
