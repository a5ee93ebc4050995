"""Running `python -m bot` as an operator would: a subprocess with only the settings given."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def run_bot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` with only the given settings."""
    base = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
