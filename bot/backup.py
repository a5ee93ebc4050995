"""`python -m bot backup PATH`: an online copy of the SQLite store (SQLite's backup API)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.failures import output_error


class NotSQLite(Exception):
    """The store is not a SQLite file; the message says what to use instead."""


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database of `database_url` to `target` whole; returns the pages copied.

    The copy is consistent even while the bot writes (the backup API restarts on change), and is
    written beside `target` first, then renamed, so a failed backup never leaves half a file.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        safe = url.render_as_string(hide_password=True).replace("+asyncpg", "")
        raise NotSQLite(
            f"the store is PostgreSQL: back it up with pg_dump, e.g. pg_dump -Fc -f {target} '{safe}'"
        )
    if not url.database or url.database == ":memory:" or not Path(url.database).exists():
        raise NotSQLite(f"no SQLite file at {url.database!r} to back up")
    partial = target.with_name(f".{target.name}.partial")
    pages = 0

    def progress(_status: int, _remaining: int, total: int) -> None:
        nonlocal pages
        pages = total

    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)) as source,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy, pages=1024, progress=progress)
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise output_error(target, exc) from exc
    except sqlite3.OperationalError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if not target.parent.exists():
            raise output_error(target, FileNotFoundError(2, "No such file or directory")) from exc
        raise output_error(target, PermissionError(13, str(exc))) from exc
    return pages
