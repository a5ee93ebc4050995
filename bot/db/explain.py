"""Database failures an operator can fix (unreachable, refused, an unusable SQLite file), as one line."""

from __future__ import annotations

import os
import socket
import traceback
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from bot.causes import exception_chain, reason


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL we cannot parse is shown as the scheme only
        return url.split("://", 1)[0] + "://…"


def _from_database_driver(exc: BaseException) -> bool:
    """Whether the exception was raised inside the database driver (asyncpg, aiosqlite, SQLAlchemy)."""
    for frame, _line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename.replace("\\", "/")
        if any(part in name for part in ("/asyncpg/", "/aiosqlite/", "/sqlalchemy/")):
            return True
    return False


def sqlite_problem(database_url: str) -> str | None:
    """Why the SQLite file of `database_url` cannot be opened or written (None: no reason seen).

    Checked before connecting: a failed first connection leaves aiosqlite's thread to report on a
    closed loop, a second traceback after our line.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    folder = path.parent if str(path.parent) else Path()
    if not folder.exists():
        return f"the folder {folder} does not exist: create it or change DATABASE_URL"
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path} is not writable by this user: fix its permissions or change DATABASE_URL"
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"the folder {folder} is not writable by this user (SQLite needs to create files there): "
            "fix its permissions or change DATABASE_URL"
        )
    return None


def database_line(exc: BaseException, database_url: str | None) -> str | None:
    """The line for a database the bot cannot use, or None if `exc` is not one.

    aiohttp's connection errors are OSErrors too: `bot.failures.explain` asks Discord's explainer first.
    """
    chain = exception_chain(exc)
    where = f" ({_safe_url(database_url)})" if database_url else ""
    dbapi = next((e for e in chain if isinstance(e, sa_exc.DBAPIError)), None)
    if dbapi is not None and not isinstance(dbapi, sa_exc.IntegrityError):
        if database_url and make_url(database_url).get_backend_name() == "sqlite":
            problem = sqlite_problem(database_url)
            if problem:
                return f"database: cannot open the SQLite file{where}: {problem}"
            return f"database: SQLite failed{where}: {reason(dbapi.orig or dbapi)}"
        # The driver's own exception (asyncpg) carries the server's words, e.g. 'role "x" does not exist'.
        inner = dbapi.orig.__cause__ if dbapi.orig is not None and dbapi.orig.__cause__ else dbapi.orig
        return f"database refused the connection{where}: {reason(inner or dbapi)}"
    for e in chain:
        if isinstance(e, (OSError, TimeoutError)):
            if not _from_database_driver(e) and not _from_database_driver(exc):
                continue
            if isinstance(e, socket.gaierror):
                return f"database unreachable{where}: the host name does not resolve ({reason(e)})"
            if isinstance(e, TimeoutError):
                return f"database unreachable{where}: no answer in time"
            return f"database unreachable{where}: {reason(e)}; is the server running and the address right?"
    return None
