"""The scheduler's clock: real UTC time, or — for drills and tests — a time read from a file."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)


class Clock:
    """`now()` in UTC. With `file`, the time written in that file (ISO 8601) wins while it parses."""

    def __init__(self, file: Path | None = None) -> None:
        self._file = file

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        if self._file is not None:
            try:
                value = datetime.fromisoformat(self._file.read_text(encoding="utf-8").strip())
                return value if value.tzinfo else value.replace(tzinfo=UTC)
            except (OSError, ValueError):
                log.warning("DIGEST_CLOCK_FILE %s unreadable; using the real clock", self._file)
        return datetime.now(UTC)
