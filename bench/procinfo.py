"""Process facts from /proc (Linux): resident memory and CPU time, of this or another process."""

from __future__ import annotations

import os
from pathlib import Path


def _status_kb(pid: int, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return float("nan")


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident set size (VmHWM) in MB."""
    return _status_kb(pid or os.getpid(), "VmHWM") / 1024


def rss_mb(pid: int | None = None) -> float:
    """Current resident set size (VmRSS) in MB."""
    return _status_kb(pid or os.getpid(), "VmRSS") / 1024


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time consumed so far, in seconds."""
    try:
        fields = Path(f"/proc/{pid or os.getpid()}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
