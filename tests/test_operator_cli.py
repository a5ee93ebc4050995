"""Operator verbs: invite, backup, --version."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord

from bot.discord_app.permissions import BOT_PERMISSIONS, CHANNEL_POST_PERMISSIONS
from tests.conftest import REPO_ROOT
from tests.support.cli import run_bot as bot


def test_invite_link_has_scopes_and_exactly_the_permissions_used(tmp_path: Path) -> None:
    """invite prints the OAuth2 URL: this application, bot + applications.commands, the one permission list."""
    done = bot("invite", cwd=tmp_path, APPLICATION_ID="123456789012345678")
    assert done.returncode == 0, done.stderr
    query = parse_qs(urlparse(done.stdout.strip()).query)
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"][0].split() == ["bot", "applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))
    assert granted == discord.Permissions(**dict.fromkeys(BOT_PERMISSIONS, True))
    assert granted.view_channel and granted.send_messages and granted.embed_links
    assert not granted.administrator and not granted.mention_everyone
    assert set(CHANNEL_POST_PERMISSIONS) <= set(BOT_PERMISSIONS)  # what the digest checks is asked for


def test_invite_without_application_id_says_where_to_find_it(tmp_path: Path) -> None:
    """No APPLICATION_ID: exit 2 and one line naming the setting."""
    done = bot("invite", cwd=tmp_path)
    assert done.returncode == 2
    assert "APPLICATION_ID" in done.stderr
    assert done.stdout == ""


def test_backup_copies_the_sqlite_store(tmp_path: Path) -> None:
    """backup PATH writes a SQLite file holding the same rows; a missing folder is one line, exit 1."""
    url = f"sqlite+aiosqlite:///{tmp_path}/s.db"
    assert bot("preview", "/actors", cwd=tmp_path, DATABASE_URL=url).returncode == 0  # seeds the store
    copy = tmp_path / "backup.sqlite3"
    done = bot("backup", str(copy), cwd=tmp_path, DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "s.db") as a, sqlite3.connect(copy) as b:
        query = "SELECT slug FROM actors ORDER BY slug"
        assert a.execute(query).fetchall() == b.execute(query).fetchall() != []
    done = bot("backup", str(tmp_path / "no" / "b.sqlite3"), cwd=tmp_path, DATABASE_URL=url)
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"cannot write {tmp_path}/no/b.sqlite3: the folder {tmp_path}/no does not exist"
    )


def test_backup_of_postgres_points_to_pg_dump(tmp_path: Path) -> None:
    """On PostgreSQL, backup says to use pg_dump (without the password) and writes nothing."""
    url = "postgresql+asyncpg://bot:secret@127.0.0.1:1/briefing"
    done = bot("backup", str(tmp_path / "b.dump"), cwd=tmp_path, DATABASE_URL=url)
    assert done.returncode == 2
    assert "pg_dump" in done.stderr
    assert "secret" not in done.stderr
    assert not (tmp_path / "b.dump").exists()


def test_version_is_the_package_version(tmp_path: Path) -> None:
    """--version prints the version in pyproject.toml."""
    expected = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    done = bot("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"briefing-bot {expected}"
