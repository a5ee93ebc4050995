"""Running `python -m bot ...` in a child process against a given database."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child bot process: this checkout, this database, no Discord reachable."""
    env = {k: v for k, v in os.environ.items() if k not in ("AUTO_MIGRATE", "DISCORD_TOKEN")}
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        DATABASE_URL=database_url,
        DISCORD_API_BASE_URL="http://127.0.0.1:9/api/v10",
        DISCORD_GATEWAY_URL="ws://127.0.0.1:9/",
    )
    env.update(extra)
    return env


async def run_python(args: list[str], env: dict[str, str], cwd: Path) -> Result:
    """Run `python <args>` and collect its exit code and output."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return Result(proc.returncode, out.decode(), err.decode())


async def run_bot(verb: list[str], env: dict[str, str], cwd: Path) -> Result:
    """Run `python -m bot <verb...>`."""
    return await run_python(["-m", "bot", *verb], env, cwd)
