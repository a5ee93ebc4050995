"""The failures an operator meets, as one line each instead of a traceback, and the exit codes.

Exit codes of `python -m bot`: 0 done, 1 a runtime failure (database, Discord, a file, bad data),
2 a usage or configuration error. With LOG_LEVEL=DEBUG the traceback follows the line.
"""

from __future__ import annotations

import errno
from pathlib import Path

from bot.causes import reason
from bot.db.explain import database_line

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


def explain(exc: BaseException, *, database_url: str | None = None) -> tuple[str, int] | None:
    """The one line and exit code for a failure an operator can fix, or None for a bug (show it whole)."""
    if isinstance(exc, OutputError):
        return str(exc), EXIT_RUNTIME
    if isinstance(exc, BrokenPipeError):
        return "", EXIT_RUNTIME
    # Imported here: the commands that never talk to Discord need not load discord.py (~0.3 s).
    from bot.discord_app.explain import discord_line

    # Discord first: aiohttp's connection errors are OSErrors, which the database's line would claim.
    line = discord_line(exc) or database_line(exc, database_url)
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
    return OutputError(path, reason(exc))
