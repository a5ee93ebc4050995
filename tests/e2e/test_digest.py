"""Scheduled digests end to end, with a controllable clock: on time, exactly once, across DST and crashes."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.discord_sim import DiscordSimulator, Forged
from tests.discord_sim import permissions as perms
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.e2e.helpers import embed_text

TICK = "0.1"


def write_clock(path: Path, when: datetime) -> None:
    """Replace the clock file atomically, so the bot never reads a half-written time."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(when.isoformat(), encoding="utf-8")
    os.replace(tmp, path)


class FakeClock:
    """The bot's digest clock: a file holding an ISO time (DIGEST_CLOCK_FILE)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pinned = False
        self.set(datetime.now(UTC), pin=False)

    def set(self, when: datetime, *, pin: bool = True) -> None:
        self.now = when
        self.pinned = self.pinned or pin
        write_clock(self.path, when)

    def catch_up_with_real_time(self) -> None:
        """Unless a test pinned a date, move to the real time (after the bot seeded its store)."""
        if not self.pinned:
            self.set(datetime.now(UTC), pin=False)


@pytest.fixture
def clock(tmp_path: Path) -> FakeClock:
    """A fake clock at the real time (audit rows carry real time, so changes fall in its windows)."""
    return FakeClock(tmp_path / "clock.txt")


def start_bot(launcher: BotLauncher, clock: FakeClock, **env: str) -> BotProcess:
    proc = launcher.start(
        extra_env={"DIGEST_CLOCK_FILE": str(clock.path), "DIGEST_TICK_SECONDS": TICK, **env}
    )
    clock.catch_up_with_real_time()  # the first start's seed import is not a change to report
    return proc


async def ephemeral(
    sim: DiscordSimulator, guild: str, member: str, name: str, options: dict | None = None
) -> str:
    """Run a curator command; return its (ephemeral) reply text."""
    handle = await sim.invoke_command(guild, member, name, options or {}, ignore_default_permissions=True)
    response = await handle.response()
    message = response.message if not response.deferred else await handle.original()
    assert message is not None
    assert message.ephemeral
    return embed_text(message)


async def subscribe(sim: DiscordSimulator, guild: str, channel: str, **options: object) -> int:
    text = await ephemeral(sim, guild, "admin", "digest subscribe", {"channel": channel, **options})
    match = re.search(r"Subscribed \*\*#(\d+)\*\*", text)
    assert match, text
    return int(match[1])


def next_utc(after: datetime, hour: int, minute: int = 0) -> datetime:
    slot = after.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return slot if slot > after else slot + timedelta(days=1)


async def test_daily_digest_lists_changes_once_and_respects_topics(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """At the due time the subscribed channel gets one digest of new entries; a filtered one gets none."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    beta = sim.guild("beta")
    briefings, general = beta.channel("briefings"), beta.channel("general")
    await subscribe(sim, "beta", briefings, time="09:00", timezone="UTC", topics="peacekeepers")
    await subscribe(sim, "beta", general, time="09:00", timezone="UTC", topics="nato-ukraine")
    await ephemeral(
        sim,
        "beta",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025-03-20",
            "title": "Northwood planning session",
            "summary": "Military chiefs met at Northwood.",
            "source_url": "https://example.org/northwood",
        },
    )
    await ephemeral(
        sim,
        "beta",
        "admin",
        "admin position-set",
        {
            "actor": "russia",
            "topic": "peacekeepers",
            "stance": "conditional",
            "summary": "Observers could be discussed after a deal.",
            "source_url": "https://example.org/ru",
            "date": "2025-04",
            "gist": "Observers only after a deal",
        },
    )
    await sim.assert_no_channel_message(briefings, within=0.5)
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    digest = await sim.wait_for_channel_message(briefings, timeout=5)
    text = embed_text(digest)
    assert "Briefing digest" in text
    assert "[Northwood planning session](https://example.org/northwood)" in text
    assert "🔴 Opposes → 🟡 Conditional: Observers only after a deal (Apr 2025)" in text
    assert "2 changes" in text and "<t:" in text
    for machine_words in ("change(s)", "stated", "status", "UTC", "pos-russia-", "ev-2025-", "`"):
        assert machine_words not in text, machine_words
    assert digest.pings == ()
    menu = next(c for row in digest.components for c in row.get("components", []) if c.get("type") == 3)
    chosen = next(o["value"] for o in menu["options"] if o["value"].startswith("pos-russia-peacekeepers"))
    opened = (await (await sim.select(digest, menu["custom_id"], [chosen], "member")).response()).message
    assert opened is not None and opened.ephemeral
    assert "Observers only after a deal" in embed_text(opened)
    await sim.assert_no_channel_message(briefings, within=0.6)
    await sim.assert_no_channel_message(general, within=0.1)
    clock.set(clock.now + timedelta(days=1), pin=False)
    await sim.assert_no_channel_message(briefings, within=0.6)  # nothing new: nothing posted


async def test_daily_and_weekly_across_dst_in_two_zones(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """Kyiv 09:00 daily and New York Monday 08:00 weekly post at the local time before and after DST."""
    clock.set(datetime(2027, 3, 12, 12, 0, tzinfo=UTC))
    await asyncio.to_thread(start_bot, bot_factory, clock)
    alpha = sim.guild("alpha")
    kyiv, ny = await sim.add_channel(alpha, "kyiv-daily"), await sim.add_channel(alpha, "ny-weekly")
    await subscribe(sim, "alpha", kyiv, time="09:00", timezone="Europe/Kyiv", post_empty=True)
    await subscribe(
        sim,
        "alpha",
        ny,
        cadence="weekly",
        weekday="monday",
        time="08:00",
        timezone="America/New_York",
        post_empty=True,
    )
    # Kyiv is UTC+2 until 28 March 2027: 09:00 local is 07:00 UTC.
    clock.set(datetime(2027, 3, 13, 6, 59, tzinfo=UTC))
    await sim.assert_no_channel_message(kyiv, within=0.5)
    clock.set(datetime(2027, 3, 13, 7, 1, tzinfo=UTC))
    await sim.wait_for_channel_message(kyiv, timeout=5)
    # New York moved to EDT on 14 March: Monday 08:00 is 12:00 UTC (it was 13:00 UTC in winter).
    clock.set(datetime(2027, 3, 15, 11, 59, tzinfo=UTC))
    catch_up = await sim.wait_for_channel_message(kyiv, timeout=5)  # two missed days: one catch-up digest
    assert "Briefing digest" in embed_text(catch_up)
    await sim.assert_no_channel_message(kyiv, within=0.4)
    await sim.assert_no_channel_message(ny, within=0.1)
    clock.set(datetime(2027, 3, 15, 12, 1, tzinfo=UTC))
    await sim.wait_for_channel_message(ny, timeout=5)
    # Kyiv moved to UTC+3 on 28 March: 09:00 local is 06:00 UTC from the 29th.
    clock.set(datetime(2027, 3, 28, 23, 0, tzinfo=UTC))
    await sim.wait_for_channel_message(kyiv, timeout=5)  # one catch-up for the 16th–28th
    await sim.wait_for_channel_message(ny, timeout=5)  # one catch-up for Monday the 22nd
    clock.set(datetime(2027, 3, 29, 5, 59, tzinfo=UTC))
    await sim.assert_no_channel_message(kyiv, within=0.5)
    clock.set(datetime(2027, 3, 29, 6, 1, tzinfo=UTC))
    await sim.wait_for_channel_message(kyiv, timeout=5)
    await sim.assert_no_channel_message(ny, within=0.3)  # next Monday is 5 April
    assert len(await sim.channel_messages(kyiv)) == 4
    assert len(await sim.channel_messages(ny)) == 2


async def test_preview_and_send_now(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """preview shows (privately) what would be posted; send-now posts it; the schedule then has nothing new."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    channel = await sim.add_channel("alpha", "send-now")
    sub_id = await subscribe(sim, "alpha", channel, time="09:00", timezone="UTC")
    await ephemeral(
        sim,
        "alpha",
        "admin",
        "admin event-add",
        {
            "topic": "peace-talks",
            "date": "2025-05-16",
            "title": "Direct talks in Istanbul",
            "summary": "s",
            "source_url": "https://example.org/ist",
        },
    )
    clock.catch_up_with_real_time()  # time passes after the edit
    preview = await ephemeral(sim, "alpha", "admin", "digest preview", {"id": sub_id})
    assert "Direct talks in Istanbul" in preview
    await sim.assert_no_channel_message(channel, within=0.3)
    reply = await ephemeral(sim, "alpha", "admin", "digest send-now", {"id": sub_id})
    assert "Posted" in reply
    posted = await sim.wait_for_channel_message(channel, timeout=5)
    assert "Direct talks in Istanbul" in embed_text(posted)
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    await sim.assert_no_channel_message(channel, within=0.6)
    listing = await ephemeral(sim, "alpha", "admin", "digest list")
    assert f"#{sub_id}" in listing


async def test_deleted_channel_disables_only_that_subscription(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """A deleted channel disables its subscription with the reason in /digest list; others still post."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    doomed, healthy = await sim.add_channel("beta", "doomed"), await sim.add_channel("beta", "healthy")
    doomed_id = await subscribe(sim, "beta", doomed, time="09:00", timezone="UTC", post_empty=True)
    await subscribe(sim, "beta", healthy, time="09:00", timezone="UTC", post_empty=True)
    await sim.delete_channel(doomed)
    sim.expect_violation(10003)
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    await sim.wait_for_channel_message(healthy, timeout=5)
    for _ in range(50):
        listing = await ephemeral(sim, "beta", "admin", "digest list")
        if "disabled" in listing:
            break
        await asyncio.sleep(0.1)
    assert f"#{doomed_id}" in listing
    assert "disabled" in listing
    assert "gone" in listing


async def test_lost_permission_disables_with_reason(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """A channel hidden from the bot after subscribing disables the subscription, naming the permissions."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    channel = await sim.add_channel("alpha", "hidden-later")
    sub_id = await subscribe(sim, "alpha", channel, time="09:00", timezone="UTC", post_empty=True)
    await sim.set_overwrite(channel, sim.guild("alpha").bot_member, deny=perms.VIEW_CHANNEL)
    sim.expect_violation(50001)
    reply = await ephemeral(sim, "alpha", "admin", "digest send-now", {"id": sub_id})
    assert "disabled" in reply
    assert "Send Messages" in reply


async def test_subscribe_refuses_a_channel_the_bot_cannot_post_in(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """A channel the bot cannot see, or cannot embed in, is refused naming the missing permission."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    alpha = sim.guild("alpha")
    hidden = await ephemeral(
        sim, "alpha", "admin", "digest subscribe", {"channel": alpha.channel("staff-only")}
    )
    assert "View Channel" in hidden
    assert "Subscribed" not in hidden
    no_embeds = await sim.add_channel("alpha", "no-embeds")
    await sim.set_overwrite(no_embeds, alpha.bot_member, deny=perms.EMBED_LINKS)
    text = await ephemeral(sim, "alpha", "admin", "digest subscribe", {"channel": no_embeds})
    assert "Embed Links" in text
    assert "View Channel" not in text
    assert "#" not in (await ephemeral(sim, "alpha", "admin", "digest list")).split("Subscriptions")[-1]


async def test_subscribe_refuses_another_servers_channel(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """A forged channel option naming another server's channel is refused as an unknown channel."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    foreign = sim.guild("beta").channel("briefings")
    text = await ephemeral(sim, "alpha", "admin", "digest subscribe", {"channel": Forged(foreign)})
    assert "Subscribed" not in text
    assert "no channel" in text.lower()
    assert foreign.name not in text


async def test_subscribe_offers_only_postable_channel_types(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """The channel option lists text, announcement and thread types only (no voice, forum, category)."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    digest = next(c for c in await sim.commands("alpha") if c["name"] == "digest")
    sub = next(o for o in digest["options"] if o["name"] == "subscribe")
    channel = next(o for o in sub["options"] if o["name"] == "channel")
    assert sorted(channel["channel_types"]) == [0, 5, 10, 11, 12]


async def test_second_subscription_for_the_same_channel_and_topics_is_refused(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """Subscribing a channel twice to the same topics (in any order) says which subscription exists."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    channel = await sim.add_channel("alpha", "twice")
    first = await subscribe(sim, "alpha", channel, topics="peace-talks, military-aid", time="09:00")
    again = await ephemeral(
        sim,
        "alpha",
        "admin",
        "digest subscribe",
        {"channel": channel, "topics": "military-aid,peace-talks", "time": "10:00"},
    )
    assert "Already subscribed" in again
    assert f"#{first}" in again
    other = await subscribe(sim, "alpha", channel, topics="peace-talks")  # other topics: a separate digest
    assert other != first
    listing = await ephemeral(sim, "alpha", "admin", "digest list")
    assert listing.count(f"<#{channel.id}>") == 2


async def test_rate_limited_post_is_waited_out(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """A 429 on the channel post is waited out and retried: the digest arrives once."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    channel = await sim.add_channel("alpha", "rate-limited")
    await subscribe(sim, "alpha", channel, time="09:00", timezone="UTC", post_empty=True)
    sim.rate_limit("POST /channels/{channel_id}/messages", count=1, retry_after=0.3)
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    await sim.wait_for_channel_message(channel, timeout=6)
    await sim.assert_no_channel_message(channel, within=0.6)
    statuses = [r.status for r in sim.requests_to("POST /channels/{channel_id}/messages")]
    assert statuses[:2] == [429, 200]


@pytest.mark.parametrize("step", ["after_claim", "after_part_post", "after_post", "after_record"])
async def test_crash_at_each_step_posts_exactly_once(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock, tmp_path: Path, step: str
) -> None:
    """SIGKILL after claiming, after posting a part, after posting all or after recording: the digest exists once."""
    marker = tmp_path / "paused"
    deduplicated_before = len(sim.deduplicated_nonces)
    first = await asyncio.to_thread(
        start_bot, bot_factory, clock, DIGEST_PAUSE_AT=step, DIGEST_PAUSE_FILE=str(marker)
    )
    channel = await sim.add_channel("beta", f"crash-{step.replace('_', '-')}")
    await subscribe(sim, "beta", channel, time="09:00", timezone="UTC", post_empty=True)
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    for _ in range(100):
        if marker.exists():
            break
        await asyncio.sleep(0.05)
    assert marker.read_text() == step
    await asyncio.to_thread(first.kill)
    clock.set(clock.now + timedelta(minutes=5), pin=False)  # past the claim's lease
    await asyncio.to_thread(
        bot_factory.start,
        db_path=first.db_path,
        extra_env={
            "DIGEST_CLOCK_FILE": str(clock.path),
            "DIGEST_TICK_SECONDS": TICK,
        },
    )
    await asyncio.sleep(1.0)
    messages = await sim.channel_messages(channel)
    assert len(messages) == 1, [m.id for m in messages]
    deduplicated = len(sim.deduplicated_nonces) - deduplicated_before
    if step == "after_part_post":  # posted, not yet recorded: the retry carries the same nonce
        assert deduplicated == 1  # and Discord returned the first post
    else:  # recorded parts are never posted again
        assert deduplicated == 0


async def test_unsubscribe_stops_posts(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """After /digest unsubscribe nothing is posted; another server cannot unsubscribe it."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    channel = await sim.add_channel("alpha", "unsubscribed")
    sub_id = await subscribe(sim, "alpha", channel, time="09:00", timezone="UTC", post_empty=True)
    refused = await ephemeral(sim, "beta", "admin", "digest unsubscribe", {"id": sub_id})
    assert f"No subscription matches `{sub_id}`" in refused
    assert f"Unsubscribed #{sub_id}" in await ephemeral(
        sim, "alpha", "admin", "digest unsubscribe", {"id": sub_id}
    )
    clock.set(next_utc(clock.now, 9) + timedelta(minutes=1), pin=False)
    await sim.assert_no_channel_message(channel, within=0.6)
    assert f"#{sub_id}" not in await ephemeral(sim, "alpha", "admin", "digest list")


async def test_plain_member_cannot_manage_digests(
    sim: DiscordSimulator, bot_factory: BotLauncher, clock: FakeClock
) -> None:
    """Digest commands refuse members without Manage Server or the curator role, privately."""
    await asyncio.to_thread(start_bot, bot_factory, clock)
    text = await ephemeral(
        sim, "alpha", "member", "digest subscribe", {"channel": sim.guild("alpha").channel("general")}
    )
    assert "Manage Server" in text
    assert "Manage Server" in await ephemeral(sim, "alpha", "member", "digest list")
