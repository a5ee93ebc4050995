"""Shared fixtures: the local Discord simulator and real bot processes connected to it."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BOT_COMMAND, BotLauncher, BotProcess

REPO_ROOT = Path(__file__).resolve().parent.parent
BOTS_KEY = pytest.StashKey[list[BotProcess]]()
SIM_KEY = pytest.StashKey[DiscordSimulator]()


def pytest_configure(config: pytest.Config) -> None:
    """Register the simulator's marker."""
    config.addinivalue_line(
        "markers",
        "sim_lenient: do not fail the test on Discord rejections it did not declare with expect_violation",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure, attach bot log tails and the simulator's recent requests to the report."""
    report = yield
    if report.failed:
        for proc in item.stash.get(BOTS_KEY, []):
            report.sections.append((f"bot log ({proc.name}, exit {proc.exit_code})", proc.log_tail()))
        sim = item.stash.get(SIM_KEY, None)
        if sim is not None:
            lines = [f"{r.method} {r.path} -> {r.status}" for r in sim.requests[-40:]]
            lines += [f"VIOLATION {v.describe()}" for v in sim.violations]
            report.sections.append(("discord-sim requests (this test)", "\n".join(lines) or "(none)"))
    return report


@pytest.fixture(scope="session")
def sim_server() -> Iterator[DiscordSimulator]:
    """One simulator for the whole session (its own thread and loop; usable from any test loop)."""
    simulator = DiscordSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def sim(sim_server: DiscordSimulator, request: pytest.FixtureRequest) -> Iterator[DiscordSimulator]:
    """The simulator, windowed to this test; fails the test on any Discord rejection it did not expect."""
    sim_server.begin_test()
    request.node.stash[SIM_KEY] = sim_server
    yield sim_server
    problems = sim_server.end_test()
    if problems and request.node.get_closest_marker("sim_lenient") is None:
        pytest.fail("Discord simulator (strict mode):\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(scope="module")
def bot_command() -> list[str]:
    """The command that starts the bot (override in a module to test the fixtures with a stand-in)."""
    return list(BOT_COMMAND)


@pytest.fixture
def bot_factory(
    sim: DiscordSimulator, tmp_path: Path, request: pytest.FixtureRequest, bot_command: list[str]
) -> Iterator[BotLauncher]:
    """Start fresh bot processes (``bot_factory.start(...)``); all are stopped, exit code checked, after the test."""
    launcher = BotLauncher(sim, repo_root=REPO_ROOT, work_dir=tmp_path, command=bot_command)
    bots: list[BotProcess] = request.node.stash.setdefault(BOTS_KEY, [])
    launcher.processes = bots
    yield launcher
    problems = launcher.stop_all()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture(scope="module")
def module_bot(
    sim_server: DiscordSimulator, tmp_path_factory: pytest.TempPathFactory, bot_command: list[str]
) -> Iterator[BotProcess]:
    """One bot process shared by the tests of a module (started once, stopped at module end)."""
    launcher = BotLauncher(
        sim_server, repo_root=REPO_ROOT, work_dir=tmp_path_factory.mktemp("module-bot"), command=bot_command
    )
    sim_server.begin_test()
    proc = launcher.start()
    yield proc
    problems = launcher.stop_all()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def bot(
    sim: DiscordSimulator, module_bot: BotProcess, request: pytest.FixtureRequest
) -> Iterator[BotProcess]:
    """The module's shared bot, checked alive before and after each test; its log is attached on failure."""
    request.node.stash.setdefault(BOTS_KEY, []).append(module_bot)
    module_bot.assert_alive()
    yield module_bot
    module_bot.assert_alive()
