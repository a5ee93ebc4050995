"""The start-up rule of `run` (and preview/import/export), AUTO_MIGRATE, and the `migrate` verb."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import ConfigError, Settings, load_settings
from bot.db.engine import create_engine
from bot.db.migrations import BASELINE, head_revision
from bot.db.schema import SchemaError, schema_status, upgrade
from bot.store.startup import open_store, prepare_schema
from tests.db.cli import child_env, run_bot, run_python
from tests.db.conftest import NewerCode
from tests.db.extension import write_extended_migrations
from tests.db.rows import fill, missing_rows, snapshot

BEHIND = (
    "the database schema is at {at}, this version needs {head}: "
    "run `python -m bot migrate` (or set AUTO_MIGRATE=1)"
)
UNKNOWN_REVISION = "ffffffffffff"


async def _stamp(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


async def test_first_start_migrates_an_empty_database(db_url: str) -> None:
    """open_store on an empty database creates the schema at head, without AUTO_MIGRATE."""
    store = await open_store(Settings(token="", database_url=db_url))
    try:
        assert (await schema_status(store.engine)).up_to_date
        assert await store.is_empty()
    finally:
        await store.engine.dispose()


async def test_schema_behind_is_refused_naming_migrate(engine: AsyncEngine, newer_code: NewerCode) -> None:
    """A schema behind head is refused, unchanged, with the one line naming `python -m bot migrate`."""
    await upgrade(engine, newer_code.shipped_head)
    with pytest.raises(SchemaError) as refused:
        await prepare_schema(engine, auto_migrate=False)
    assert str(refused.value) == BEHIND.format(at=newer_code.shipped_head, head=newer_code.head)
    assert (await schema_status(engine)).current == newer_code.shipped_head


async def test_auto_migrate_upgrades_a_schema_behind(engine: AsyncEngine, newer_code: NewerCode) -> None:
    """With AUTO_MIGRATE a schema behind head is upgraded at start, keeping every row."""
    await upgrade(engine, newer_code.shipped_head)
    before = await fill(engine)
    await prepare_schema(engine, auto_migrate=True)
    assert (await schema_status(engine)).current == newer_code.head
    assert missing_rows(before, await snapshot(engine)) == []


async def test_open_store_follows_the_auto_migrate_setting(db_url: str, newer_code: NewerCode) -> None:
    """open_store refuses a schema behind head, and upgrades it when Settings.auto_migrate is set."""
    engine = create_engine(db_url)
    await upgrade(engine, newer_code.shipped_head)
    await engine.dispose()
    with pytest.raises(SchemaError, match="python -m bot migrate"):
        await open_store(Settings(token="", database_url=db_url))
    store = await open_store(Settings(token="", database_url=db_url, auto_migrate=True))
    try:
        assert (await schema_status(store.engine)).current == newer_code.head
    finally:
        await store.engine.dispose()


async def test_schema_ahead_of_the_code_is_refused(engine: AsyncEngine) -> None:
    """A revision this version does not know is refused, even with AUTO_MIGRATE."""
    await upgrade(engine)
    await _stamp(engine, UNKNOWN_REVISION)
    with pytest.raises(SchemaError, match=f"at {UNKNOWN_REVISION}, which this version does not know"):
        await prepare_schema(engine, auto_migrate=True)
    assert (await schema_status(engine)).current == UNKNOWN_REVISION


async def test_pre_migration_tables_behind_head_are_refused(
    engine: AsyncEngine, newer_code: NewerCode
) -> None:
    """Tables from before migrations, with later revisions to run, count as the baseline and are behind."""
    await upgrade(engine, BASELINE)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(SchemaError) as refused:
        await prepare_schema(engine, auto_migrate=False)
    at = f"{BASELINE} (tables from before migrations)"
    assert str(refused.value) == BEHIND.format(at=at, head=newer_code.head)


@pytest.mark.parametrize(
    ("raw", "expected"), [("", False), ("0", False), ("1", True), ("true", True), ("YES", True)]
)
def test_auto_migrate_setting_is_read(raw: str, expected: bool) -> None:
    """AUTO_MIGRATE accepts 1/0 (and true/false, yes/no, on/off); unset is off."""
    assert load_settings({"AUTO_MIGRATE": raw}, require_token=False).auto_migrate is expected


def test_auto_migrate_setting_malformed_is_named() -> None:
    """A malformed AUTO_MIGRATE fails with a line naming it."""
    with pytest.raises(ConfigError, match="AUTO_MIGRATE"):
        load_settings({"AUTO_MIGRATE": "maybe"}, require_token=False)


async def test_migrate_verb_reports_status_then_upgrades(tmp_path: Path) -> None:
    """`migrate --status` changes nothing; `migrate` upgrades and prints from → to; then up to date."""
    db = tmp_path / "cli.db"
    env = child_env(f"sqlite+aiosqlite:///{db}")
    status = await run_bot(["migrate", "--status"], env, tmp_path)
    assert (status.code, "status:   empty" in status.out, db.exists()) == (1, True, False)
    migrated = await run_bot(["migrate"], env, tmp_path)
    assert migrated.code == 0, migrated.err
    assert migrated.out.strip() == f"migrated the database schema from empty to {head_revision()}"
    status = await run_bot(["migrate", "--status"], env, tmp_path)
    assert status.code == 0, status.err
    assert f"current:  {head_revision()}" in status.out and "status:   up to date" in status.out
    again = await run_bot(["migrate"], env, tmp_path)
    assert "nothing to do" in again.out


async def test_run_exits_with_one_line_on_a_schema_behind(tmp_path: Path) -> None:
    """`run` on a schema behind head exits 1, printing only the line that names `python -m bot migrate`."""
    db = tmp_path / "behind.db"
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    await upgrade(engine)
    await engine.dispose()
    newer = tmp_path / "newer" / "migrations"
    new_head = write_extended_migrations(newer, down_revision=head_revision())
    # The child runs the real CLI, with its migrations directory swapped for the newer one.
    code = (
        "import sys; from pathlib import Path; import bot.db.migrations as m; "
        "m.MIGRATIONS_DIR = Path(sys.argv[1]); from bot.cli import main; raise SystemExit(main(['run']))"
    )
    env = child_env(f"sqlite+aiosqlite:///{db}", DISCORD_TOKEN="x" * 40)
    result = await run_python(["-c", code, str(newer)], env, tmp_path)
    assert result.code == 1
    assert result.err.splitlines() == [BEHIND.format(at=head_revision(), head=new_head)]


async def test_run_exits_with_one_line_on_a_schema_ahead(tmp_path: Path) -> None:
    """`python -m bot run` on a schema from a newer version exits 1 with one line saying so."""
    db = tmp_path / "ahead.db"
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    await upgrade(engine)
    await _stamp(engine, UNKNOWN_REVISION)
    await engine.dispose()
    env = child_env(f"sqlite+aiosqlite:///{db}", DISCORD_TOKEN="x" * 40, AUTO_MIGRATE="1")
    result = await run_bot(["run"], env, tmp_path)
    assert result.code == 1
    (line,) = result.err.splitlines()
    assert f"at {UNKNOWN_REVISION}, which this version does not know" in line


async def test_serving_start_on_a_current_store_loads_no_alembic_pillow_or_feedparser(
    db_url: str, tmp_path: Path
) -> None:
    """A bot starting on an up-to-date store, answering from it, never imports Alembic, Pillow or
    feedparser: each would stay resident (about 14 MB together) in a bot that never migrates,
    draws a picture or reads a feed."""
    engine = create_engine(db_url)
    await upgrade(engine)
    await engine.dispose()
    code = (
        "import asyncio, sys\n"
        "from bot.config import load_settings\n"
        "from bot.discord_app import answers\n"
        "from bot.discord_app.client import EXTENSIONS\n"
        "from bot.domain import SearchQuery\n"
        "from bot.errors import BriefingError\n"
        "from bot.store.startup import open_store\n"
        "for name in EXTENSIONS:\n"
        "    __import__(name)\n"
        "async def main():\n"
        "    store = await open_store(load_settings(require_token=False))\n"
        "    try:\n"
        "        await answers.search(store, 1, SearchQuery('nato'))\n"
        "    except BriefingError:\n"
        "        pass\n"
        "    await store.engine.dispose()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('alembic', 'PIL', 'feedparser') if m in sys.modules))\n"
    )
    result = await run_python(["-c", code], child_env(db_url), tmp_path)
    assert result.code == 0, result.err
    assert result.out.strip() == "[]"
