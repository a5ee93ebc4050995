"""The container and service files: entrypoint (migrate, then run), image recipe, compose, systemd unit."""

from __future__ import annotations

import configparser
import fnmatch
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.db.migrations import head_revision
from tests.conftest import REPO_ROOT
from tests.discord_sim import DiscordSimulator

DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")


def entrypoint(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run deploy/entrypoint.sh with this interpreter and the repository on the path."""
    return subprocess.run(
        ["sh", str(REPO_ROOT / "deploy" / "entrypoint.sh")],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), "BOT_PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_entrypoint_migrates_then_runs(tmp_path: Path, sim: DiscordSimulator) -> None:
    """The schema is at head before `run` starts (here `run` meets a rejected token and exits 1)."""
    sim.expect_violation(0, status=401)
    db = tmp_path / "s.db"
    env = sim.bot_env(
        {"DISCORD_TOKEN": "wrong.token.for.this.bot", "DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    )
    done = entrypoint(tmp_path, env)
    assert done.returncode == 1
    assert f"to {head_revision()}" in done.stdout  # migrate's "migrated … from … to HEAD"
    assert "Discord rejected the token" in done.stderr  # then run started
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)


def test_entrypoint_does_not_run_when_migrate_fails(tmp_path: Path) -> None:
    """A database that cannot be opened stops the entrypoint at migrate, with migrate's one line."""
    url = f"sqlite+aiosqlite:///{tmp_path}/missing/s.db"
    done = entrypoint(tmp_path, {"DISCORD_TOKEN": "x" * 30, "DATABASE_URL": url})
    assert done.returncode == 1
    assert done.stderr.count("database:") == 1
    assert "Discord" not in done.stderr


def test_dockerfile_is_slim_non_root_locked_and_health_checked() -> None:
    """Slim base, installs from the lock with hashes, runs as a user, probes /healthz, uses the entrypoint."""
    lines = [x.strip() for x in DOCKERFILE.splitlines()]
    assert any(x.startswith("FROM python:") and x.endswith("-slim") for x in lines)
    assert "--require-hashes -r requirements.lock" in DOCKERFILE
    users = [x.split()[1] for x in lines if x.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    health = DOCKERFILE[DOCKERFILE.index("HEALTHCHECK") :]
    assert "/healthz" in health.split("ENTRYPOINT")[0]
    assert "HEALTH_PORT=8080" in DOCKERFILE
    assert 'ENTRYPOINT ["briefing-entrypoint"]' in DOCKERFILE


def test_build_context_has_what_the_dockerfile_copies() -> None:
    """Every COPY source exists and is not excluded by .dockerignore; secrets and the venv are."""
    ignored = [
        p.strip() for p in (REPO_ROOT / ".dockerignore").read_text().splitlines() if p.strip() and p[0] != "#"
    ]
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (REPO_ROOT / source).exists(), source
                assert not any(fnmatch.fnmatch(source, pat) for pat in ignored), source
    for secret in (".env", ".venv", ".git", "*.sqlite3"):
        assert secret in ignored


def test_compose_starts_bot_after_healthy_postgres() -> None:
    """compose.yaml: PostgreSQL on a named volume with a health check; the bot waits for it, AUTO_MIGRATE=1."""
    compose = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text(encoding="utf-8"))
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["environment"]["AUTO_MIGRATE"] == "1"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@db:5432/" in bot["environment"]["DATABASE_URL"]
    assert bot["env_file"] == ".env"


def test_systemd_unit() -> None:
    """The unit runs as its own user, keeps state in StateDirectory (writable under ProtectSystem=strict), restarts on failure."""
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(REPO_ROOT / "deploy" / "briefing-bot.service")
    service = unit["Service"]
    assert service.get("DynamicUser") == "yes" or service.get("User") not in (None, "root")
    assert service["ProtectSystem"] == "strict"
    assert service["Restart"] == "on-failure"
    state = service["StateDirectory"]
    assert service["WorkingDirectory"] == f"/var/lib/{state}"  # the default SQLite file lands there
    assert service["ExecStart"].endswith("-m bot run")
    assert "deploy/briefing-bot.service" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def docker_daemon() -> str | None:
    """Why docker cannot build here, or None when it can."""
    if shutil.which("docker") is None:
        return "no docker command on this machine"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=30, check=False)
    if info.returncode != 0:
        return "no docker daemon reachable (docker info failed)"
    return None


def test_docker_image_builds() -> None:
    """`docker build` succeeds (needs a docker daemon and the package index)."""
    reason = docker_daemon()
    if reason:
        pytest.skip(reason)
    done = subprocess.run(
        ["docker", "build", "-q", "-t", "briefing-bot:test", str(REPO_ROOT)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stderr
