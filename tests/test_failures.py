"""Failures an operator meets print one line (no traceback) and exit 1; LOG_LEVEL=DEBUG adds the traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.discord_sim import DiscordSimulator
from tests.support.cli import run_bot as bot
from tests.support.databases import postgres_url, require_postgres_sync


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line on stderr of a failed run (asserting there is no traceback)."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_postgres_unreachable(tmp_path: Path) -> None:
    """Nothing listening at the DATABASE_URL address: one line naming the (password-free) URL."""
    url = f"postgresql+asyncpg://bot:secret@127.0.0.1:{closed_port()}/briefing"
    line = one_line(bot("preview", "/actors", cwd=tmp_path, DATABASE_URL=url))
    assert line.startswith("database unreachable")
    assert "127.0.0.1" in line
    assert "secret" not in line


def test_debug_level_shows_the_traceback(tmp_path: Path) -> None:
    """LOG_LEVEL=DEBUG: the same line, then the traceback."""
    url = f"postgresql+asyncpg://bot@127.0.0.1:{closed_port()}/briefing"
    done = bot("preview", "/actors", cwd=tmp_path, DATABASE_URL=url, LOG_LEVEL="DEBUG")
    assert done.returncode == 1
    assert done.stderr.startswith("database unreachable")
    assert "Traceback" in done.stderr


@pytest.mark.postgres
def test_postgres_refuses_credentials(tmp_path: Path) -> None:
    """A role the server does not know: one line with the server's reason."""
    require_postgres_sync()
    base = postgres_url().split("://", 1)[1].split("@", 1)[1]
    url = f"postgresql+asyncpg://no_such_role_w15:pw@{base}"
    line = one_line(bot("migrate", cwd=tmp_path, DATABASE_URL=url))
    assert line.startswith("database refused the connection")
    assert 'role "no_such_role_w15" does not exist' in line
    assert ":pw@" not in line


def test_sqlite_folder_missing(tmp_path: Path) -> None:
    """A SQLite path in a folder that does not exist: one line naming the folder."""
    url = f"sqlite+aiosqlite:///{tmp_path}/nowhere/briefing.sqlite3"
    line = one_line(bot("preview", "/actors", cwd=tmp_path, DATABASE_URL=url))
    assert f"the folder {tmp_path}/nowhere does not exist" in line


def test_sqlite_folder_not_writable(tmp_path: Path) -> None:
    """A SQLite path in a folder this user cannot write: one line saying so."""
    if os.geteuid() == 0:
        folder = Path("/proc/sys")  # read-only even for root
        if os.access(folder, os.W_OK):
            pytest.skip("running as root and /proc/sys is writable: no folder root cannot write")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
    url = f"sqlite+aiosqlite:///{folder}/briefing.sqlite3"
    line = one_line(bot("migrate", cwd=tmp_path, DATABASE_URL=url))
    assert f"the folder {folder} is not writable" in line


def test_output_file_not_writable(tmp_path: Path) -> None:
    """export -o into a missing folder: one line, and nothing left behind."""
    db = f"sqlite+aiosqlite:///{tmp_path}/s.db"
    target = tmp_path / "missing" / "store.yaml"
    line = one_line(bot("export", "-o", str(target), cwd=tmp_path, DATABASE_URL=db))
    assert line == f"cannot write {target}: the folder {target.parent} does not exist"


def test_output_file_is_replaced_whole(tmp_path: Path) -> None:
    """export -o over an existing file leaves the full export and no temporary file."""
    db = f"sqlite+aiosqlite:///{tmp_path}/s.db"
    target = tmp_path / "store.yaml"
    target.write_text("old", encoding="utf-8")
    done = bot("export", "-o", str(target), cwd=tmp_path, DATABASE_URL=db)
    assert done.returncode == 0, done.stderr
    assert "actors:" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if "store" in p.name) == ["store.yaml"]


def test_closed_pipe_is_silent(tmp_path: Path) -> None:
    """`preview … | head`: a reader that has gone away gets no traceback, and the exit code is 1."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "preview", "/timeline", "nato-ukraine"],
            cwd=tmp_path,
            env={
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(REPO_ROOT),
                "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/s.db",
            },
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 1


def test_discord_unreachable(tmp_path: Path) -> None:
    """run with nothing listening at the Discord address: one line naming it, exit 1."""
    done = bot(
        "run",
        cwd=tmp_path,
        DISCORD_TOKEN="not.a.real.token.but.long",
        DISCORD_API_BASE_URL=f"http://127.0.0.1:{closed_port()}/api/v10",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/s.db",
        LOG_LEVEL="WARNING",
    )
    line = one_line(done)
    assert line.startswith("Discord unreachable (127.0.0.1:")


def test_discord_rejects_token(tmp_path: Path, sim: DiscordSimulator) -> None:
    """run with a token the (simulated) Discord rejects: one line saying to check DISCORD_TOKEN, exit 1."""
    sim.expect_violation(0, status=401)
    env = sim.bot_env({"DISCORD_TOKEN": "wrong.token.for.this.bot", "LOG_LEVEL": "WARNING"})
    done = bot("run", cwd=tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/s.db", **env)
    line = one_line(done)
    assert "Discord rejected the token" in line
    assert "DISCORD_TOKEN" in line


def test_no_voice_library_warnings_at_start(tmp_path: Path, sim: DiscordSimulator) -> None:
    """The bot never uses voice: starting it logs nothing about PyNaCl or davey."""
    sim.expect_violation(0, status=401)
    env = sim.bot_env({"DISCORD_TOKEN": "wrong.token.for.this.bot", "LOG_LEVEL": "INFO"})
    done = bot("run", cwd=tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/s.db", **env)
    assert "logging in" in done.stderr  # discord.py's start-up was logged at this level
    assert "voice" not in done.stderr.lower(), done.stderr


def test_dotenv_is_read_from_the_working_directory(tmp_path: Path) -> None:
    """A `.env` in the working directory is read; a variable from the environment wins over it."""
    (tmp_path / ".env").write_text("LOG_LEVEL=NOT-A-LEVEL\n", encoding="utf-8")
    db = f"sqlite+aiosqlite:///{tmp_path}/s.db"
    done = bot("migrate", "--status", cwd=tmp_path, DATABASE_URL=db)
    assert done.returncode == 2
    assert "LOG_LEVEL" in done.stderr
    done = bot("migrate", "--status", cwd=tmp_path, DATABASE_URL=db, LOG_LEVEL="WARNING")
    assert "LOG_LEVEL" not in done.stderr, done.stderr
