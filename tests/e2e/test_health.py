"""The health and metrics endpoints (HEALTH_PORT) of a running bot, and /healthz when unhealthy."""

from __future__ import annotations

import asyncio
import re
import socket
from pathlib import Path

import aiohttp
import discord

from bot.db.engine import create_engine
from bot.discord_app.health import HealthServer
from bot.metrics import Metrics
from bot.store import Store
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher
from tests.e2e.helpers import answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sample(metrics: str, name: str) -> float:
    """The value of one sample (`name` with its labels) in Prometheus text."""
    for line in metrics.splitlines():
        key, _, value = line.rpartition(" ")
        if key == name:
            return float(value)
    raise AssertionError(f"{name} not in /metrics:\n{metrics}")


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def test_healthz_and_metrics_of_a_running_bot(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """/healthz is 200 with gateway and database up; /metrics counts commands, outcomes, latency and 429s."""
    port = free_port()
    await bot_factory.astart(extra_env={"HEALTH_PORT": str(port)})
    for _ in range(50):  # READY is processed just after the simulator sent it
        status, body = await get(f"http://127.0.0.1:{port}/healthz")
        if status == 200:
            break
        await asyncio.sleep(0.1)
    assert status == 200, body
    assert '"gateway": true' in body
    assert '"database": true' in body
    sim.rate_limit("POST /interactions/{interaction_id}/{token}/callback", count=1, retry_after=0.2)
    for actor in ("russia", "nato", "nobody-at-all"):
        await (await sim.invoke_command("alpha", "member", "position", {"actor": actor})).response()
    await sim.autocomplete("alpha", "member", "position", {"actor": "ru"}, focused="actor")
    await asyncio.sleep(0.2)
    status, metrics = await get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    assert sample(metrics, 'briefing_interactions_total{command="position",outcome="ok"}') == 2
    assert sample(metrics, 'briefing_interactions_total{command="position",outcome="not_found"}') == 1
    assert sample(metrics, 'briefing_interactions_total{command="autocomplete:position",outcome="ok"}') == 1
    assert sample(metrics, "briefing_interaction_seconds_count") == 4
    assert sample(metrics, 'briefing_interaction_seconds_bucket{le="+Inf"}') == 4
    assert sample(metrics, "briefing_rest_429_total") >= 1
    assert sample(metrics, "briefing_gateway_connected") == 1
    assert sample(metrics, "process_resident_memory_bytes") > 0  # prometheus_client's process metrics


async def test_metrics_count_modal_submits(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """A curator's edit (command, then modal submit) shows in /metrics as two interactions."""
    port = free_port()
    await bot_factory.astart(extra_env={"HEALTH_PORT": str(port)})
    added = await sim.invoke_command(
        "alpha",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025",
            "title": "Draft event",
            "summary": "Old summary.",
            "source_url": "https://example.org/b",
        },
        ignore_default_permissions=True,
    )
    message = await answer(added)
    event_id = message.content.split("`")[1]
    opened = await sim.invoke_command(
        "alpha", "admin", "admin entry-edit", {"id": event_id}, ignore_default_permissions=True
    )
    await opened.modal()
    submitted = await sim.submit_modal(opened, None, {"summary": "New summary."})
    await answer(submitted)
    await asyncio.sleep(0.2)
    _, metrics = await get(f"http://127.0.0.1:{port}/metrics")
    assert sample(metrics, 'briefing_interactions_total{command="modal_submit",outcome="ok"}') == 1
    assert sample(metrics, 'briefing_interactions_total{command="admin entry-edit",outcome="ok"}') == 1


async def test_one_log_line_per_interaction_at_debug(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """With LOG_LEVEL=DEBUG each interaction logs command, guild, latency and outcome on one line."""
    proc = await bot_factory.astart(extra_env={"LOG_LEVEL": "DEBUG"})
    await (await sim.invoke_command("beta", "member", "brief", {"topic": "peace-talks"})).response()
    await asyncio.sleep(0.2)
    line = next(x for x in proc.log_path.read_text().splitlines() if "interaction command=brief" in x)
    assert "DEBUG" in line
    assert f"guild={sim.guild('beta').id}" in line
    assert re.search(r"latency_ms=\d+\.\d outcome=ok", line)


async def test_info_logs_a_summary_instead_of_a_line_per_interaction(
    sim: DiscordSimulator, bot_factory: BotLauncher
) -> None:
    """At INFO no line per interaction; the interactions show in the summary line written at shutdown."""
    proc = await bot_factory.astart()
    for actor in ("russia", "nobody-at-all"):
        await (await sim.invoke_command("beta", "member", "position", {"actor": actor})).response()
    await asyncio.to_thread(proc.stop_and_check)
    lines = proc.log_path.read_text().splitlines()
    assert not [x for x in lines if "interaction command=" in x]
    summary = next(x for x in lines if "interactions=2 " in x)
    assert "ok 1" in summary and "not_found 1" in summary and "INFO" in summary


async def test_healthz_is_503_when_not_connected(tmp_path: Path) -> None:
    """A process whose gateway is not connected answers 503 naming what is down."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")
    client = discord.Client(intents=discord.Intents.none())
    port = free_port()
    server = HealthServer(client, Store(engine), Metrics(), "127.0.0.1", port)
    await server.start()
    try:
        status, body = await get(f"http://127.0.0.1:{port}/healthz")
    finally:
        await server.stop()
        await client.close()
        await engine.dispose()
    assert status == 503
    assert '"gateway": false' in body
    assert '"database": true' in body
