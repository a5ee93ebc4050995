"""A description of the machine and the software a benchmark ran on."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Machine:
    """What a result depends on besides the code."""

    cpu: str
    cores: int
    memory_gb: float
    os: str
    python: str
    sqlite: str
    postgres: str
    packages: str
    commit: str
    load_before: str

    def line(self) -> str:
        """One line for BENCHMARKS.md."""
        return (
            f"{self.cpu}, {self.cores} cores, {self.memory_gb:.0f} GB RAM; {self.os}; Python {self.python}; "
            f"SQLite {self.sqlite}; PostgreSQL {self.postgres or 'n/a'}; {self.packages}; "
            f"commit {self.commit}; load average at start {self.load_before}"
        )

    def as_dict(self) -> dict[str, object]:
        """For the JSON result."""
        return asdict(self)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _commit(code: Path) -> str:
    """The commit checked out in `code` (the bot code under test), and whether its bot/ or cogs/ differ."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=code, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot", "cogs"],
            cwd=code,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha}{' + uncommitted changes in bot/ or cogs/' if dirty else ''}"


@dataclass(frozen=True)
class CpuTicks:
    """All CPUs' time so far from /proc/stat, in clock ticks: running (any mode) and stolen."""

    busy: int
    steal: int


def cpu_ticks() -> CpuTicks:
    """The machine's CPU time so far (zeros where /proc/stat is missing)."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in first[1:9])
    except (OSError, ValueError):
        return CpuTicks(0, 0)
    return CpuTicks(user + nice + system + irq + softirq, steal)


def steal_share(before: CpuTicks, after: CpuTicks) -> float | None:
    """Of the CPU time the machine wanted between two readings, the share its hypervisor ran other
    guests instead ("steal"). On a shared virtual machine it varies from run to run: the same
    work took 31 s with 8 % and 41 s with 22 %. None without readings."""
    busy, steal = after.busy - before.busy, after.steal - before.steal
    return steal / (busy + steal) if busy + steal > 0 else None


def steal_note(share: float | None) -> str:
    """How much CPU time the hypervisor withheld during the run (figures from a run that lost much
    are slower and noisier than the code)."""
    if share is None:
        return ""
    return f"; CPU steal {100 * share:.0f} % (time the hypervisor gave other guests, of the time this machine wanted)"


def load_average() -> str:
    """The 1-minute load average (other work on the machine skews results)."""
    return f"{os.getloadavg()[0]:.2f}"


def describe(postgres_version: str = "", code: Path = ROOT) -> Machine:
    """The current machine, and the commit of the bot code under test (`code`, by default this checkout)."""
    packages = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("discord.py", "SQLAlchemy", "aiosqlite", "asyncpg", "aiohttp")
    )
    return Machine(
        cpu=_cpu(),
        cores=os.cpu_count() or 0,
        memory_gb=_memory_gb(),
        os=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        sqlite=sqlite3.sqlite_version,
        postgres=postgres_version,
        packages=packages,
        commit=_commit(code),
        load_before=load_average(),
    )
