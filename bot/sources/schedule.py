"""When a source is next due: its interval, jittered; exponential backoff on errors (≤ 6 h); Retry-After."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

MAX_BACKOFF_SECONDS = 6 * 3600.0


def next_due(
    now: datetime,
    interval: float,
    *,
    failures: int = 0,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """The next fetch time: interval ±10 % jitter; after n failures interval·2ⁿ capped at 6 h."""
    rng = rng or random.Random()
    wait = interval if failures <= 0 else min(MAX_BACKOFF_SECONDS, interval * 2 ** min(failures, 20))
    wait *= 1 + rng.uniform(-0.1, 0.1)
    if retry_after is not None:
        wait = max(wait, min(retry_after, MAX_BACKOFF_SECONDS))
    return now + timedelta(seconds=max(wait, 0.0))


def host_ready_at(last_fetch_of_host: datetime | None, min_interval: float) -> datetime | None:
    """The earliest time the same host may be fetched again (None: now)."""
    if last_fetch_of_host is None:
        return None
    return last_fetch_of_host + timedelta(seconds=min_interval)
