"""Logging set-up: one place, %-style records, and a filter that keeps the token out of every line."""

from __future__ import annotations

import atexit
import logging
import queue
import sys
from logging.handlers import QueueHandler, QueueListener


class _RedactFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            if any(s in message for s in self._secrets):
                for secret in self._secrets:
                    message = message.replace(secret, "[redacted]")
                record.msg, record.args = message, None
        return True


_listener: QueueListener | None = None


def setup_logging(level: str = "INFO", secrets: list[str] | None = None) -> None:
    """Log to stderr at `level`; any of `secrets` appearing in a message is replaced by [redacted].

    Records are handed to a thread that formats and writes them: the event loop never waits on
    a write to stderr (a pipe to journald or docker blocks when its reader lags), and one line per
    interaction costs the loop a queue put. The thread writes what is queued at exit.
    """
    global _listener
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(_RedactFilter(secrets or []))
    if _listener is not None:
        _listener.stop()
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    _listener = QueueListener(records, handler)
    _listener.start()
    atexit.register(_stop_listener)
    root = logging.getLogger()
    root.handlers[:] = [QueueHandler(records)]
    root.setLevel(level)
    # discord.py's gateway chatter is DEBUG/INFO noise at scale; keep its warnings.
    logging.getLogger("discord.gateway").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    # Alembic is imported only when a start migrates or reports (bot.db.schema): its import then
    # lists each plugin it sets up at INFO, which would bury the one line such a start prints.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _stop_listener() -> None:
    """Write what is still queued (registered at exit; harmless when called twice)."""
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None
