"""Snowflake ids and timestamps shaped like Discord's."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time

DISCORD_EPOCH_MS = 1_420_070_400_000


def snowflake_at(unix_ms: int, increment: int = 0, worker: int = 1, process: int = 0) -> int:
    """Build a snowflake for a Unix time in milliseconds."""
    return ((unix_ms - DISCORD_EPOCH_MS) << 22) | (worker << 17) | (process << 12) | (increment & 0xFFF)


def snowflake_time(snowflake: int) -> dt.datetime:
    """The creation time encoded in a snowflake."""
    return dt.datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=dt.UTC)


def iso(ts: float) -> str:
    """An ISO 8601 timestamp as Discord writes it (UTC, microseconds, +00:00)."""
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC).isoformat()


class SnowflakeGenerator:
    """Monotonic snowflakes from the wall clock (thread-safe)."""

    def __init__(self, worker: int = 2) -> None:
        self._worker = worker
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._last = 0

    def next(self) -> int:
        """A new snowflake, strictly greater than every earlier one."""
        with self._lock:
            value = snowflake_at(int(time.time() * 1000), next(self._counter), self._worker)
            if value <= self._last:
                value = self._last + 1
            self._last = value
            return value
