"""Percentiles and small summaries of timing samples (seconds in, milliseconds out)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(seconds: Sequence[float]) -> dict[str, Any]:
    """n, p50, p99 and max in milliseconds."""
    return {
        "n": len(seconds),
        "p50": percentile(seconds, 50) * 1000,
        "p99": percentile(seconds, 99) * 1000,
        "max": (max(seconds) if seconds else math.nan) * 1000,
    }


def ratio(ours: float, floor: float) -> float:
    """ours / floor (NaN when the floor is zero or missing)."""
    return ours / floor if floor and not math.isnan(floor) else math.nan
