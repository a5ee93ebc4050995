"""The failures an operator meets, as one line each instead of a traceback, and the exit codes.

Exit codes of `python -m bot`: 0 done, 1 a runtime failure (database, Discord, a file, bad data),
2 a usage or configuration error. With LOG_LEVEL=DEBUG the traceback follows the line.
"""

from __future__ import annotations

import errno
import os
import socket
import traceback
from pathlib import Path

import aiohttp
import discord
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2


class OutputError(Exception):
    """A file the command was told to write cannot be written."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL we cannot parse is shown as the scheme only
        return url.split("://", 1)[0] + "://…"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (`orig`) and its causes, outermost first, without loops."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def _from_database_driver(exc: BaseException) -> bool:
    """Whether the exception was raised inside the database driver (asyncpg, aiosqlite, SQLAlchemy)."""
    for frame, _line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename.replace("\\", "/")
        if any(part in name for part in ("/asyncpg/", "/aiosqlite/", "/sqlalchemy/")):
            return True
    return False


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


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


def _database_line(exc: BaseException, database_url: str | None) -> str | None:
    chain = _chain(exc)
    where = f" ({_safe_url(database_url)})" if database_url else ""
    dbapi = next((e for e in chain if isinstance(e, sa_exc.DBAPIError)), None)
    if dbapi is not None and not isinstance(dbapi, sa_exc.IntegrityError):
        if database_url and make_url(database_url).get_backend_name() == "sqlite":
            problem = sqlite_problem(database_url)
            if problem:
                return f"database: cannot open the SQLite file{where}: {problem}"
            return f"database: SQLite failed{where}: {_reason(dbapi.orig or dbapi)}"
        # The driver's own exception (asyncpg) carries the server's words, e.g. 'role "x" does not exist'.
        inner = dbapi.orig.__cause__ if dbapi.orig is not None and dbapi.orig.__cause__ else dbapi.orig
        return f"database refused the connection{where}: {_reason(inner or dbapi)}"
    for e in chain:
        if isinstance(e, (OSError, TimeoutError)) and not isinstance(e, aiohttp.ClientError):
            if not _from_database_driver(e) and not _from_database_driver(exc):
                continue
            if isinstance(e, socket.gaierror):
                return f"database unreachable{where}: the host name does not resolve ({_reason(e)})"
            if isinstance(e, TimeoutError):
                return f"database unreachable{where}: no answer in time"
            return f"database unreachable{where}: {_reason(e)}; is the server running and the address right?"
    return None


def _discord_line(exc: BaseException) -> str | None:
    for e in _chain(exc):
        if isinstance(e, discord.LoginFailure):
            return "Discord rejected the token: check DISCORD_TOKEN (Developer Portal → Bot → Reset Token)"
        if isinstance(e, discord.PrivilegedIntentsRequired):
            return "Discord refused the intents: this bot needs no privileged intents"
        if isinstance(e, aiohttp.ClientConnectorError):
            return (
                f"Discord unreachable ({e.host}:{e.port}): {_reason(e.os_error)}; "
                "check the network (or DISCORD_API_BASE_URL)"
            )
        if isinstance(e, aiohttp.ClientError):
            return f"Discord unreachable: {_reason(e)}"
    return None


def explain(exc: BaseException, *, database_url: str | None = None) -> tuple[str, int] | None:
    """The one line and exit code for a failure an operator can fix, or None for a bug (show it whole)."""
    if isinstance(exc, OutputError):
        return str(exc), EXIT_RUNTIME
    if isinstance(exc, BrokenPipeError):
        return "", EXIT_RUNTIME
    line = _discord_line(exc) or _database_line(exc, database_url)
    if line is not None:
        return line, EXIT_RUNTIME
    return None


def output_error(path: Path, exc: OSError) -> OutputError:
    """An OutputError naming what is wrong with `path` in words."""
    if exc.errno == errno.ENOENT:
        return OutputError(path, f"the folder {path.parent} does not exist")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return OutputError(path, "permission denied")
    if exc.errno == errno.EISDIR:
        return OutputError(path, "it is a directory")
    return OutputError(path, _reason(exc))
