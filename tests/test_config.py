"""Settings: every malformed value stops the start with one line naming it; the token never shows."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_DATABASE_URL, ConfigError, load_settings

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.ghijklmnopqrstuvwxyz"
REPO = Path(__file__).resolve().parent.parent


def test_defaults_with_only_a_token() -> None:
    """Only DISCORD_TOKEN is required; the rest have documented defaults."""
    s = load_settings({"DISCORD_TOKEN": TOKEN})
    assert s.database_url == DEFAULT_DATABASE_URL
    assert s.sync_guild_ids == ()
    assert s.owner_ids == frozenset()
    assert s.log_level == "INFO"
    assert s.digest_tick_seconds == 60
    assert s.health_port is None


def test_lists_and_urls_are_parsed() -> None:
    """Comma lists of ids, API and gateway URLs, shards."""
    s = load_settings(
        {
            "DISCORD_TOKEN": TOKEN,
            "SYNC_GUILD_IDS": "1, 2,3",
            "OWNER_IDS": "42",
            "DISCORD_API_BASE_URL": "http://127.0.0.1:9/api/v10/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/gw",
            "SHARD_COUNT": "4",
            "SHARD_IDS": "0,2",
            "HEALTH_PORT": "8080",
        }
    )
    assert s.sync_guild_ids == (1, 2, 3)
    assert s.owner_ids == frozenset({42})
    assert s.api_base_url == "http://127.0.0.1:9/api/v10"
    assert s.gateway_url == "ws://127.0.0.1:9/gw"
    assert (s.shard_count, s.shard_ids) == (4, (0, 2))
    assert s.health_port == 8080


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "short"}, "DISCORD_TOKEN"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SYNC_GUILD_IDS": "12,abc"}, "SYNC_GUILD_IDS"),
        ({"OWNER_IDS": "-5"}, "OWNER_IDS"),
        ({"DISCORD_API_BASE_URL": "discord.com/api"}, "DISCORD_API_BASE_URL"),
        ({"DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0,2"}, "SHARD_IDS"),
        ({"CACHE_TTL_SECONDS": "soon"}, "CACHE_TTL_SECONDS"),
        ({"DIGEST_TICK_SECONDS": "0"}, "DIGEST_TICK_SECONDS"),
        ({"AUTO_MIGRATE": "maybe"}, "AUTO_MIGRATE"),
        ({"HEALTH_PORT": "70000"}, "HEALTH_PORT"),
        ({"DATABASE_TIMEOUT_SECONDS": "never"}, "DATABASE_TIMEOUT_SECONDS"),
        ({"DATABASE_TIMEOUT_SECONDS": "0"}, "DATABASE_TIMEOUT_SECONDS"),
    ],
)
def test_bad_value_names_the_setting(env: dict[str, str], named: str) -> None:
    """Each malformed setting raises ConfigError whose one line starts with its name."""
    full = {"DISCORD_TOKEN": TOKEN} | env if named != "DISCORD_TOKEN" else env
    with pytest.raises(ConfigError) as err:
        load_settings(full)
    message = str(err.value)
    assert message.startswith(named)
    assert "\n" not in message
    assert TOKEN not in message


def test_database_timeout_defaults_to_ten_seconds() -> None:
    """DATABASE_TIMEOUT_SECONDS: 10 s unless set; a fraction is accepted."""
    assert load_settings({"DISCORD_TOKEN": TOKEN}).database_timeout_seconds == 10.0
    assert (
        load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_TIMEOUT_SECONDS": "2.5"}).database_timeout_seconds
        == 2.5
    )


def test_repr_hides_token_and_password() -> None:
    """Printing the settings shows neither the token nor a database password."""
    s = load_settings(
        {"DISCORD_TOKEN": TOKEN, "DATABASE_URL": "postgresql+asyncpg://bot:hunter2@db/briefing"}
    )
    assert TOKEN not in repr(s)
    assert "hunter2" not in repr(s)


def test_run_without_token_fails_with_one_line(tmp_path: Path) -> None:
    """`python -m bot run` with no token exits 2 and prints one line naming DISCORD_TOKEN."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1
    assert "DISCORD_TOKEN" in lines[0]


def test_run_with_unreachable_database_fails_with_one_line(tmp_path: Path) -> None:
    """`python -m bot run` with no database to reach exits 1 with one line naming the cause, no traceback."""
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for url in (
        f"postgresql+asyncpg://postgres@127.0.0.1:{port}/none",
        f"sqlite+aiosqlite:///{tmp_path / 'missing-dir' / 'x.db'}",
    ):
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DISCORD_TOKEN": TOKEN, "DATABASE_URL": url}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=env | {"PYTHONPATH": str(REPO), "DATABASE_TIMEOUT_SECONDS": "2"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        output = done.stderr + done.stdout
        # (a fresh HOME may add matplotlib's one-off "building the font cache" notice)
        lines = [x for x in output.splitlines() if x.strip() and "font cache" not in x]
        assert len(lines) == 1, lines
        # our "the database is unreachable", or the operator kit's more specific line (issue 15)
        assert "the database is unreachable" in lines[0] or lines[0].startswith("database:")
        assert "Traceback" not in output and TOKEN not in output
