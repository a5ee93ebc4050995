"""Fault-injection hooks for tests and drills: inert unless their environment variable is set.

- `checkpoint(step)`: with DIGEST_PAUSE_AT set to one of STEPS (after_claim, after_part_post,
  after_post, after_record), the digest scheduler stops at that step for good, after writing the
  step's name to DIGEST_PAUSE_FILE if set, so that a test can SIGKILL the process there (the
  exactly-once delivery tests). Unset: returns at once.
- `Clock`: the scheduler's clock. With DIGEST_CLOCK_FILE set (Settings.digest_clock_file), the time
  written in that file; unset, the real UTC time.

Production sets none of these. (bot.db.faults is not a hook: it classifies real database errors.)
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

STEPS = ("after_claim", "after_part_post", "after_post", "after_record")


async def checkpoint(step: str) -> None:
    """Pause here for good if a crash drill asked for this step (DIGEST_PAUSE_AT); else return."""
    if os.environ.get("DIGEST_PAUSE_AT") != step:
        return
    marker = os.environ.get("DIGEST_PAUSE_FILE")
    if marker:
        await asyncio.to_thread(_write_whole, Path(marker), step)
    await asyncio.Event().wait()


def _write_whole(path: Path, text: str) -> None:
    """`text` into `path`, which appears only once written: a test waiting for the file to exist
    reads the step, never an empty file (write_text creates the file before it writes)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


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
