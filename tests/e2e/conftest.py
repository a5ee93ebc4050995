"""End-to-end fixtures: every bot process here runs on SQLite and again on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BOTS_KEY, REPO_ROOT
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.support.databases import postgres_database_sync, require_postgres_sync

DATABASES = ["sqlite", "postgres"]


class DatabaseLauncher(BotLauncher):
    """A launcher whose bots use one given DATABASE_URL (restarts keep the same database)."""

    database_url: str | None = None

    def start(self, **kwargs: object) -> BotProcess:  # type: ignore[override]
        if self.database_url:
            extra = dict(kwargs.pop("extra_env", None) or {})  # type: ignore[call-overload]
            extra.setdefault("DATABASE_URL", self.database_url)
            kwargs["extra_env"] = extra
        return super().start(**kwargs)  # type: ignore[arg-type]


def _database(kind: str) -> Iterator[str | None]:
    if kind == "sqlite":
        yield None
        return
    require_postgres_sync()
    with postgres_database_sync() as url:
        yield url


@pytest.fixture(params=DATABASES)
def bot_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for a fresh SQLite file per bot, or the URL of a fresh PostgreSQL database."""
    yield from _database(request.param)


@pytest.fixture
def bot_factory(
    bot_database: str | None,
    sim: DiscordSimulator,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    bot_command: list[str],
) -> Iterator[BotLauncher]:
    """Fresh bot processes on this test's database; all stopped (exit code checked) afterwards."""
    launcher = DatabaseLauncher(sim, repo_root=REPO_ROOT, work_dir=tmp_path, command=bot_command)
    launcher.database_url = bot_database
    launcher.processes = request.node.stash.setdefault(BOTS_KEY, [])
    yield launcher
    problems = launcher.stop_all()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(scope="module", params=DATABASES)
def module_bot(
    request: pytest.FixtureRequest,
    sim_server: DiscordSimulator,
    tmp_path_factory: pytest.TempPathFactory,
    bot_command: list[str],
) -> Iterator[BotProcess]:
    """One bot process per module and database, shared by the module's tests."""
    for url in _database(request.param):
        launcher = DatabaseLauncher(
            sim_server,
            repo_root=REPO_ROOT,
            work_dir=tmp_path_factory.mktemp("module-bot"),
            command=bot_command,
        )
        launcher.database_url = url
        sim_server.begin_test()
        proc = launcher.start()
        yield proc
        problems = launcher.stop_all()
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)
