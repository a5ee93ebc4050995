"""Migration fixtures: a fresh, empty database per test, on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import migrations
from bot.db.engine import create_engine
from tests.db.extension import write_extended_migrations
from tests.support.databases import database_url


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database: a SQLite file under tmp_path, or a new PostgreSQL database."""
    async with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """The application's engine on the empty database."""
    engine = create_engine(db_url)
    yield engine
    await engine.dispose()


@dataclass(frozen=True)
class NewerCode:
    """The shipped head, and the revision a newer version of the code would need."""

    shipped_head: str
    head: str


@pytest.fixture
def newer_code(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NewerCode]:
    """This version's migrations plus one more revision, as if the code were newer."""
    shipped_head = migrations.head_revision()
    directory = tmp_path_factory.mktemp("newer") / "migrations"
    head = write_extended_migrations(directory, down_revision=shipped_head)
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", directory)
    migrations.script_directory.cache_clear()
    yield NewerCode(shipped_head, head)
    migrations.script_directory.cache_clear()
