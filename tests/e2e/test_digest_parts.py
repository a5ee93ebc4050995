"""Multi-part digests: each part is recorded as posted; a refused part never makes an earlier one repeat."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import yaml

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher
from tests.e2e.helpers import button, embed_text
from tests.e2e.test_digest import FakeClock, clock, ephemeral, next_utc, start_bot, subscribe
from tests.e2e.test_health import free_port, get

__all__ = ["clock"]  # the fixture, shared with test_digest

POST = "POST /channels/{channel_id}/messages"


def many_events(n: int) -> dict[str, Any]:
    """A file of `n` new events: enough for a digest of more than one message."""
    return {
        "events": [
            {
                "id": f"ev-2025-03-{i % 28 + 1:02d}-multi-part-drill-number-{i}",
                "date": f"2025-03-{i % 28 + 1:02d}",
                "title": f"Multi-part drill event number {i} with a longer title here",
                "status": "reported",
                "topics": ["peace-talks"],
                "summary": "A summary of what happened in this drill. " * 3,
                "sources": [{"url": f"https://example.org/drill/{i}", "publisher": "Example"}],
            }
            for i in range(n)
        ]
    }


async def import_many(sim: DiscordSimulator, n: int = 90) -> None:
    attachment = await sim.register_attachment("drill.yaml", yaml.safe_dump(many_events(n)).encode())
    handle = await sim.invoke_command(
        "alpha", "admin", "admin import", {"file": attachment}, ignore_default_permissions=True
    )
    preview = await handle.original()
    click = await sim.click(preview, button(preview, "Apply")["custom_id"], "admin")
    await click.response()
    assert "Import applied" in embed_text(await click.original())


def part(index: int) -> Any:
    """A body predicate: the post of digest part `index` (its nonce ends in the part number)."""
    return lambda body: isinstance(body, dict) and str(body.get("nonce", "")).endswith(f"{index:02x}")


def posts_to(sim: DiscordSimulator, channel_id: int) -> list[tuple[str, int]]:
    """(nonce, status) of every post to the channel, in order."""
    return [
        (str((r.json or {}).get("nonce")), r.status or 0)
        for r in sim.requests_to(POST)
        if r.path.rstrip("/").endswith(f"/channels/{channel_id}/messages")
    ]


async def test_refused_second_part_disables_without_reposting_the_first(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """Part 2 refused with 400/50035: part 1 stays posted once, the subscription is disabled with the reason."""
    port = free_port()
    await asyncio.to_thread(start_bot, bot_factory, clock, HEALTH_PORT=str(port))
    channel = await sim.add_channel("alpha", "two-parts-refused")
    sub_id = await subscribe(sim, "alpha", channel, time="09:00", timezone="UTC")
    await import_many(sim)
    sim.refuse(POST, part(1), status=400, code=50035, message="Invalid Form Body")
    sim.expect_violation(50035)
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    first = await sim.wait_for_channel_message(channel, timeout=6)
    assert first.embeds[0]["footer"]["text"].startswith("Page 1/2 · ")
    for _ in range(60):
        listing = await ephemeral(sim, "alpha", "admin", "digest list")
        if "disabled" in listing:
            break
        await asyncio.sleep(0.1)
    assert "disabled" in listing and "50035" in listing
    clock.set(clock.now + timedelta(hours=2), pin=False)  # past any backoff: nothing is retried
    await sim.advance_clock(600)  # and past Discord's nonce window
    await sim.assert_no_channel_message(channel, within=0.6)
    assert len(await sim.channel_messages(channel)) == 1
    assert [status for _, status in posts_to(sim, channel.id)] == [200, 400]
    assert f"#{sub_id}" in listing
    _, metrics = await get(f"http://127.0.0.1:{port}/metrics")
    assert re.search(r"^briefing_digests_disabled_total 1(\.0)?$", metrics, re.MULTILINE), metrics


async def test_transient_failure_of_a_part_resumes_at_that_part(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """Part 2 fails with 503 once; after the nonce window the retry posts part 2 only: two messages in all."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    channel = await sim.add_channel("alpha", "two-parts-retried")
    await subscribe(sim, "alpha", channel, time="09:00", timezone="UTC")
    await import_many(sim)
    sim.refuse(POST, part(1), status=503, code=0, message="Service Unavailable", count=1)
    sim.expect_violation(status=503)
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    await sim.wait_for_channel_message(channel, timeout=6)
    for _ in range(60):
        if [s for _, s in posts_to(sim, channel.id)] == [200, 503]:
            break
        await asyncio.sleep(0.1)
    await sim.advance_clock(600)  # Discord no longer remembers part 1's nonce
    clock.set(clock.now + timedelta(minutes=5), pin=False)  # past the 30 s backoff
    for _ in range(60):
        if len(await sim.channel_messages(channel)) >= 2:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.6)  # time for a wrong third post to show
    messages = await sim.channel_messages(channel)
    assert len(messages) == 2, [embed_text(m)[-40:] for m in messages]
    nonces = [n for n, s in posts_to(sim, channel.id) if s == 200]
    assert len(nonces) == 2 and nonces[0].endswith("00") and nonces[1].endswith("01")
