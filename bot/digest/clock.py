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
        self._last: datetime | None = None

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        if self._file is None:
            return datetime.now(UTC)
        try:
            value = datetime.fromisoformat(self._file.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            # Caught mid-write, say: keep the last time read rather than jump to the real clock.
            log.warning("DIGEST_CLOCK_FILE %s unreadable; keeping the last time read", self._file)
            return self._last or datetime.now(UTC)
        self._last = value if value.tzinfo else value.replace(tzinfo=UTC)
        return self._last
