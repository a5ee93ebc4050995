"""scripts/run.sh installs only when pyproject.toml or the lock changed, so it starts offline once installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO_ROOT

# A stand-in interpreter in .venv: records each call, answers `-m bot preview` with one line.
FAKE_PYTHON = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../calls.log"
if [ "$1 $2 $3" = "-m bot preview" ]; then echo "answer to $4"; fi
"""


def make_tree(root: Path) -> None:
    """A checkout with run.sh, a pyproject.toml and an installed (stand-in) .venv."""
    (root / "scripts").mkdir()
    shutil.copy(REPO_ROOT / "scripts" / "run.sh", root / "scripts" / "run.sh")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)


def run(root: Path) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """Run the script with no token; return the interpreter calls it made and the result."""
    log = root / ".venv" / "calls.log"
    log.unlink(missing_ok=True)
    done = subprocess.run(
        ["bash", str(root / "scripts" / "run.sh")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return calls, done


def installs(calls: list[str]) -> list[str]:
    return [c for c in calls if c.startswith("-m pip")]


def test_installs_once_then_starts_without_pip(tmp_path: Path) -> None:
    """The first start installs; the next ones call no pip at all (no package index needed)."""
    make_tree(tmp_path)
    calls, done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert installs(calls), calls
    calls, done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert installs(calls) == []
    assert "answer to /brief peace-talks" in done.stdout
    assert done.stderr == ""  # quiet when nothing changed


def test_reinstalls_when_pyproject_or_lock_changes(tmp_path: Path) -> None:
    """A changed pyproject.toml, or a new/changed lock, installs again (the lock with hashes)."""
    make_tree(tmp_path)
    run(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'y'\n", encoding="utf-8")
    calls, _ = run(tmp_path)
    assert installs(calls)
    (tmp_path / "requirements.lock").write_text("x==1 --hash=sha256:00\n", encoding="utf-8")
    calls, _ = run(tmp_path)
    assert any("--require-hashes -r requirements.lock" in c for c in installs(calls)), calls
    calls, _ = run(tmp_path)
    assert installs(calls) == []
