"""The floor comparison, start-up time and memory, in a process of its own:

    python -m bench.loadgen CONFIG.json OUT.json

Starts two instances of the project's Discord simulator (one per bot, each on its own thread and
event loop in this process), the real bot (`python -m bot run`) on the benchmark database and the
floor bot (bench/floor_bot.py); warms both up, then sends the same interactions to each in
alternating rounds (ours, floor, floor, ours, …) with the configured concurrency. Afterwards it
restarts our bot a few times to time start → READY, and reads both bots' peak RSS.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.e2e_round import Sample, run_round
from bench.harness_gc import collector_between_rounds
from bench.procinfo import cpu_seconds, peak_rss_mb, rss_mb
from bench.stats import summary
from bench.synthetic import Manifest
from bench.workload import E2E_KINDS, Mix, Query
from bot.db.engine import create_engine
from tests.discord_sim import DiscordSimulator, InteractionHandle, SimConfig
from tests.discord_sim.bot_process import BOT_COMMAND, BotLauncher, BotProcess

ROOT = Path(__file__).resolve().parent.parent
FLOOR_COMMAND = (sys.executable, str(ROOT / "bench" / "floor_bot.py"))
ROUND_TIMEOUT = 600.0


@dataclass
class Side:
    """One bot under test with its own simulator."""

    name: str
    sim: DiscordSimulator
    launcher: BotLauncher
    env: dict[str, str]
    proc: BotProcess | None = None
    samples: list[Sample] | None = None
    wall: float = 0.0
    cpu_sim: float = 0.0
    cpu_bot: float = 0.0

    def start(self) -> float:
        """Start the bot; returns seconds from process start to READY + every GUILD_CREATE sent."""
        self.proc = self.launcher.start(extra_env=self.env, timeout=60)
        return ready_seconds(self.sim, self.proc)

    def restart(self) -> float:
        """Stop and start again on the same database; returns start → READY seconds."""
        assert self.proc is not None
        self.proc = self.launcher.restart(self.proc, extra_env=self.env, timeout=60)
        return ready_seconds(self.sim, self.proc)

    def round(self, queries: list[Query], concurrency: int) -> list[Sample]:
        """Run one round; accumulate wall and CPU time of the simulator process and of the bot."""
        assert self.proc is not None and self.proc.pid is not None
        with collector_between_rounds():
            bot_cpu = cpu_seconds(self.proc.pid)
            samples, wall, cpu = self.sim.run_sync(run_round(self.sim, queries, concurrency), ROUND_TIMEOUT)
        self.cpu_bot += cpu_seconds(self.proc.pid) - bot_cpu
        self.wall += wall
        self.cpu_sim += cpu
        self.samples = (self.samples or []) + samples
        return samples


def ready_seconds(sim: DiscordSimulator, proc: BotProcess) -> float:
    """From the bot's process start to the last GUILD_CREATE the simulator sent it (READY comes first)."""

    def last_guild_create() -> float:
        sends = [
            e.at
            for e in sim.state.gateway_events
            if e.direction == "send" and e.t == "GUILD_CREATE" and e.at >= proc.started_at
        ]
        return max(sends)

    return sim.call_sync(last_guild_create) - proc.started_at


async def _forget_synced_commands(db_url: str) -> None:
    """A fresh simulator knows no commands: make the bot sync them on its first start here."""
    engine = create_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM meta WHERE key LIKE 'command_hash:%'"))
    finally:
        await engine.dispose()


def _side(name: str, work: Path, command: tuple[str, ...], env: dict[str, str]) -> Side:
    sim = DiscordSimulator(SimConfig(default_timeout=30.0))
    sim.start()
    launcher = BotLauncher(sim, repo_root=Path.cwd(), work_dir=work / name, command=command)
    return Side(name, sim, launcher, env)


def _report(side: Side, n_warm: int) -> dict[str, Any]:
    samples = (side.samples or [])[n_warm:]
    good = [s for s in samples if s.ok]
    kinds = {k: summary([s.elapsed for s in good if s.kind == k]) for k in E2E_KINDS}
    net = [
        s.elapsed - s.sim_overhead for s in good
    ]  # what is left once the simulator's own work is taken out
    assert side.proc is not None and side.proc.pid is not None
    n = max(len(samples), 1)
    return {
        "kinds": kinds,
        "all": summary([s.elapsed for s in good]),
        "all_net_of_simulator": summary(net),
        "failures": len(samples) - len(good),
        "failure_examples": [s.detail for s in samples if not s.ok][:5],
        "sim_overhead": summary([s.sim_overhead for s in good if s.sim_overhead]),
        "sim_cpu_ms_per_interaction": side.cpu_sim / n * 1000,
        "sim_cpu_utilisation": side.cpu_sim / side.wall if side.wall else 0.0,
        "bot_cpu_ms_per_interaction": side.cpu_bot / n * 1000,
        "throughput_per_s": n / side.wall if side.wall else 0.0,
        "peak_rss_mb": peak_rss_mb(side.proc.pid),
        "rss_mb": rss_mb(side.proc.pid),
    }


def run(cfg: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    """The whole comparison; see the module docstring."""
    work = Path(cfg["work_dir"])
    manifest = Manifest.load(Path(cfg["manifest"]))
    ours = _side("ours", work, BOT_COMMAND, {"DATABASE_URL": cfg["db_url"], "LOG_LEVEL": "INFO"})
    floor = _side(
        "floor", work, FLOOR_COMMAND, {"BENCH_FLOOR_EMBEDS": cfg["floor_embeds"], "LOG_LEVEL": "INFO"}
    )
    sides = (ours, floor)
    asyncio.run(_forget_synced_commands(cfg["db_url"]))
    try:
        first_start = ours.start()
        floor.start()
        log(f"    ours ready in {first_start:.2f} s; floor ready")
        guilds = [g.id for g in ours.sim.guilds]
        mix = Mix(manifest, seed=cfg.get("seed", 5), guild_ids=guilds)
        warm = mix.interleaved(E2E_KINDS, cfg["warmup"])
        first_answer: dict[str, float] = {}
        for side in sides:
            first_answer[side.name] = side.round(warm[:1], 1)[0].elapsed
            side.round(warm[1:], cfg["concurrency"])
        rounds = cfg["rounds"]
        per_round = cfg["interactions"] // rounds
        for r in range(rounds):
            queries = mix.interleaved(E2E_KINDS, per_round)
            order = sides if r % 2 == 0 else sides[::-1]  # ours, floor, floor, ours, …
            for side in order:
                side.round(queries, cfg["concurrency"])
            log(f"    round {r + 1}/{rounds} done ({per_round} interactions per bot)")
        result: dict[str, Any] = {side.name: _report(side, cfg["warmup"]) for side in sides}
        result["first_answer_ms"] = {k: v * 1000 for k, v in first_answer.items()}
        floor.launcher.stop_all()
        warm_starts = [ours.restart() for _ in range(cfg.get("restarts", 2))]
        result["startup"] = {"first_s": first_start, "warm_s": warm_starts}
        result["violations"] = [v.describe() for side in sides for v in side.sim.all_violations][:20]
    finally:
        for side in sides:
            problems = side.launcher.stop_all()
            side.sim.stop()
            for problem in problems:
                log(problem[:2000])
    return result


REPEATED_ACTOR = "russia"  # the fixed question of the repeated-answer row: /position actor:russia


def _fresh(side: Side) -> None:
    """Forget the warm-up: only the counted rounds make the figures."""
    side.samples, side.wall, side.cpu_sim, side.cpu_bot = [], 0.0, 0.0, 0.0


def run_repeated(cfg: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    """The repeated answer: the same `/position actor:russia` again and again, ours against the floor.

    Our bot starts first and answers once; its embed becomes the floor's constant answer. A second
    floor ("floor_menu") also sends our answer's buttons and menu, so it sends the same message as
    ours. Then all are warmed up and get rounds in rotating order (ours, floor, floor_menu;
    floor, floor_menu, ours; …).
    """
    work = Path(cfg["work_dir"])
    ours = _side("ours", work, BOT_COMMAND, {"DATABASE_URL": cfg["db_url"], "LOG_LEVEL": "INFO"})
    embeds = work / "floor-embeds-repeated.json"
    floor_env = {"BENCH_FLOOR_EMBEDS": str(embeds), "LOG_LEVEL": "INFO"}
    floor = _side("floor", work, FLOOR_COMMAND, floor_env)
    floor_menu = _side("floor_menu", work, FLOOR_COMMAND, {**floor_env, "BENCH_FLOOR_COMPONENTS": "1"})
    sides = (ours, floor, floor_menu)
    asyncio.run(_forget_synced_commands(cfg["db_url"]))
    try:
        ours.start()
        guild = ours.sim.guilds[0].id
        q = Query("position", guild, {"actor": REPEATED_ACTOR}, command="position")
        first, components = ours.sim.run_sync(_first_answer(ours.sim, q), 60)
        embeds.parent.mkdir(parents=True, exist_ok=True)
        embeds.write_text(
            json.dumps({"position": first, "position_components": components}), encoding="utf-8"
        )
        floor.start()
        floor_menu.start()
        for side in sides:
            side.round([q] * cfg["warmup"], cfg["concurrency"])
            _fresh(side)
        rounds = cfg["rounds"]
        per_round = cfg["interactions"] // rounds
        for r in range(rounds):
            for side in sides[r % 3 :] + sides[: r % 3]:
                side.round([q] * per_round, cfg["concurrency"])
            log(f"    round {r + 1}/{rounds} done ({per_round} repeated answers per bot)")
        result: dict[str, Any] = {side.name: _report(side, 0) for side in sides}
        result["question"] = f"/position actor:{REPEATED_ACTOR}"
        result["rounds"] = rounds
        result["concurrency"] = cfg["concurrency"]
        result["violations"] = [v.describe() for side in sides for v in side.sim.all_violations][:20]
    finally:
        for side in sides:
            problems = side.launcher.stop_all()
            side.sim.stop()
            for problem in problems:
                log(problem[:2000])
    return result


async def _first_answer(sim: DiscordSimulator, q: Query) -> tuple[dict[str, Any], list[Any]]:
    """Our bot's answer to `q`: its first embed and its components, checked to be a public message."""
    samples, _wall, _cpu = await run_round(sim, [q], 1)
    sample = samples[0]
    if not sample.ok:
        raise RuntimeError(f"our bot did not answer {q.label()}: {sample.detail}")
    response = await InteractionHandle(sim, sim.state.interactions[sample.interaction_id]).response()
    message = response.message
    if message is None or not message.embeds:
        raise RuntimeError(f"our answer to {q.label()} has no embed")
    return dict(message.embeds[0]), list(message.components)


def main(argv: list[str] | None = None) -> int:
    """Command line: CONFIG.json OUT.json."""
    args = argv if argv is not None else sys.argv[1:]
    cfg = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    started = time.perf_counter()
    runner = run_repeated if cfg.get("mode") == "repeated" else run
    result = runner(cfg, lambda line: print(line, file=sys.stderr, flush=True))
    result["seconds"] = time.perf_counter() - started
    Path(args[1]).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
