"""Start the real bot (``python -m bot run``) as a subprocess pointed at the simulator."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from .simulator import DiscordSimulator

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
BOT_COMMAND = (sys.executable, "-m", "bot", "run")


class BotProcess:
    """One bot subprocess: its environment, log file and shards."""

    def __init__(
        self,
        sim: DiscordSimulator,
        *,
        name: str,
        repo_root: Path,
        env: dict[str, str],
        log_path: Path,
        db_path: Path,
        shard_ids: list[int] | None,
        shard_count: int,
        command: Sequence[str] = BOT_COMMAND,
    ) -> None:
        self.sim = sim
        self.command = list(command)
        self.name = name
        self.repo_root = repo_root
        self.env = env
        self.log_path = log_path
        self.db_path = db_path
        self.shard_ids = shard_ids
        self.shard_count = shard_count
        self.expected_exit_codes: tuple[int, ...] = (0,)
        self.started_at = 0.0
        self.exit_code: int | None = None
        self._popen: subprocess.Popen[bytes] | None = None
        self._violation_mark = 0

    def __repr__(self) -> str:
        return f"<BotProcess {self.name} pid={self.pid} shards={self.shard_ids}/{self.shard_count}>"

    @property
    def pid(self) -> int | None:
        """The process id (None before start)."""
        return None if self._popen is None else self._popen.pid

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self._popen is not None and self._popen.poll() is None

    @property
    def command_guild_ids(self) -> list[int]:
        """Guild ids from SYNC_GUILD_IDS (the bot must have synced commands there)."""
        return [int(x) for x in self.env.get("SYNC_GUILD_IDS", "").split(",") if x.strip()]

    def start(self) -> None:
        """Spawn ``python -m bot run`` with stdout/stderr to the log file."""
        self.started_at = self.sim.call_sync(self.sim.state.now)
        self._violation_mark = len(self.sim.all_violations)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._popen = subprocess.Popen(
                self.command,
                cwd=self.repo_root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def _status(self) -> str | None:
        def check() -> str | None:
            hub = self.sim.state.gateway
            assert hub is not None
            wanted = list(range(self.shard_count)) if self.shard_ids is None else self.shard_ids
            missing: list[str] = []
            for shard in wanted:
                owned = {g.id for g in self.sim.guilds if (g.id >> 22) % self.shard_count == shard}
                if not any(
                    s.identified_at >= self.started_at
                    and s.shard == (shard, self.shard_count)
                    and s.resumable
                    and s.ready_sent
                    and owned <= s.guilds_sent
                    for s in hub.sessions.values()
                ):
                    missing.append(f"READY + GUILD_CREATE on shard {shard}/{self.shard_count}")
            guild_ids: list[int | None] = list(self.command_guild_ids) or [None]
            for guild_id in guild_ids:
                if not self.sim.state.commands.in_scope(guild_id):
                    missing.append(f"synced commands for {'global scope' if guild_id is None else guild_id}")
            return "; ".join(missing) or None

        return self.sim.call_sync(check)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Block until READY/GUILD_CREATE were sent on every shard and commands exist; fail loudly otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            missing = self._status()
            if missing is None:
                break
            if not self.alive:
                raise AssertionError(
                    f"{self.name} exited with code {self._popen and self._popen.returncode} before it was ready "
                    f"(missing: {missing})\n{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.name} not ready after {timeout:.0f}s (missing: {missing})\n{self.log_tail()}"
                )
            time.sleep(0.05)
        startup_violations = self.sim.all_violations[self._violation_mark :]
        if startup_violations:
            lines = "\n".join("  " + v.describe() for v in startup_violations)
            raise AssertionError(
                f"{self.name}: Discord rejected requests during startup:\n{lines}\n{self.log_tail()}"
            )

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, wait (bounded), then SIGKILL; returns the exit code."""
        if self._popen is None:
            return 0
        if self._popen.poll() is None:
            self._popen.send_signal(signal.SIGTERM)
            try:
                self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self._popen.kill()
                self._popen.wait(5)
        self.exit_code = self._popen.returncode
        return self.exit_code

    def kill(self) -> None:
        """SIGKILL the process at once (a crash, not a shutdown)."""
        self.expected_exit_codes = (-signal.SIGKILL,)
        if self._popen is not None and self._popen.poll() is None:
            self._popen.kill()
            self._popen.wait(10)
        self.exit_code = None if self._popen is None else self._popen.returncode

    def stop_and_check(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop and fail (with the log tail) unless the exit code is expected."""
        code = self.stop(timeout)
        if code not in self.expected_exit_codes:
            raise AssertionError(
                f"{self.name} exited with code {code} (expected {self.expected_exit_codes})\n"
                f"{self.log_tail()}"
            )

    def assert_alive(self) -> None:
        """Fail with the log tail if the process died."""
        if not self.alive:
            code = None if self._popen is None else self._popen.returncode
            raise AssertionError(f"{self.name} died (exit code {code})\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        """The last lines of the bot's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return f"--- {self.name}: no log at {self.log_path} ---"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last {lines} lines of {self.log_path} ---\n{tail}"


class BotLauncher:
    """Starts bot processes against one simulator; remembers them so fixtures can stop them."""

    _names = itertools.count(1)

    def __init__(
        self, sim: DiscordSimulator, *, repo_root: Path, work_dir: Path, command: Sequence[str] = BOT_COMMAND
    ) -> None:
        self.sim = sim
        self.command = list(command)
        self.repo_root = repo_root
        self.work_dir = work_dir
        self.processes: list[BotProcess] = []

    def start(
        self,
        *,
        db_path: Path | None = None,
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
        extra_env: Mapping[str, str] | None = None,
        wait: bool = True,
        timeout: float = READY_TIMEOUT,
    ) -> BotProcess:
        """Start a bot (optionally on an existing database / specific shards) and wait until it is ready."""
        name = f"bot-{next(self._names)}"
        db = db_path or self.work_dir / f"{name}.db"
        env = {k: v for k, v in os.environ.items() if k not in ("SHARD_COUNT", "SHARD_IDS")}
        env.update(self.sim.bot_env())
        env.update(
            {
                "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
                "LOG_LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if shard_count is not None:
            env["SHARD_COUNT"] = str(shard_count)
        if shard_ids is not None:
            env["SHARD_IDS"] = ",".join(str(s) for s in shard_ids)
        env.update(extra_env or {})
        count = int(env.get("SHARD_COUNT") or 1)
        ids = [int(s) for s in env["SHARD_IDS"].split(",")] if env.get("SHARD_IDS") else None
        proc = BotProcess(
            self.sim,
            name=name,
            repo_root=self.repo_root,
            env=env,
            log_path=self.work_dir / f"{name}.log",
            db_path=db,
            shard_ids=ids,
            shard_count=count,
            command=self.command,
        )
        self.processes.append(proc)
        proc.start()
        if wait:
            proc.wait_ready(timeout)
        return proc

    async def astart(
        self,
        *,
        db_path: Path | None = None,
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
        extra_env: Mapping[str, str] | None = None,
        timeout: float = READY_TIMEOUT,  # noqa: ASYNC109
    ) -> BotProcess:
        """``start`` without blocking the calling event loop."""
        return await asyncio.to_thread(
            lambda: self.start(
                db_path=db_path,
                shard_count=shard_count,
                shard_ids=shard_ids,
                extra_env=extra_env,
                timeout=timeout,
            )
        )

    def restart(
        self, proc: BotProcess, *, extra_env: Mapping[str, str] | None = None, timeout: float = READY_TIMEOUT
    ) -> BotProcess:
        """Stop a bot (checking its exit code) and start a new one on the same database and shards."""
        proc.stop_and_check()
        return self.start(
            db_path=proc.db_path,
            shard_count=proc.shard_count if proc.env.get("SHARD_COUNT") else None,
            shard_ids=proc.shard_ids,
            extra_env=extra_env,
            timeout=timeout,
        )

    def stop_all(self) -> list[str]:
        """Stop every process; return problems (unexpected exit codes) with log tails."""
        problems: list[str] = []
        for proc in self.processes:
            if proc.exit_code is not None:
                continue
            try:
                proc.stop_and_check()
            except AssertionError as exc:
                problems.append(str(exc))
        return problems
