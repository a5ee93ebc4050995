"""Watched sources end to end: the real bot, the simulator, feeds served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.discord_sim.messages import SimMessage
from tests.e2e.helpers import button, embed_text
from tests.sources.feeds import FeedServer, ThreadedFeeds, rss_with

ITEMS = [("n1", "Russia rejects the peacekeepers plan"), ("n2", "Kremlin comments on troop contingents")]


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    """The loopback feed server, on its own thread (the bot is another process)."""
    with ThreadedFeeds() as server:
        server.dynamic = rss_with(ITEMS)
        yield server


@pytest.fixture
async def watcher(bot_factory: BotLauncher, feeds: FeedServer) -> BotProcess:
    """A bot allowed to fetch only the feed server, polling every second."""
    parts = urlsplit(feeds.base)
    env = {
        "SOURCE_ALLOW_HOSTS": f"{parts.hostname}:{parts.port}",
        "SOURCE_POLL_SECONDS": "1",
        "SOURCE_MIN_INTERVAL_SECONDS": "0",
    }
    return await asyncio.to_thread(bot_factory.start, extra_env=env)


async def run(
    sim: DiscordSimulator, guild: str, member: str, name: str, options: dict[str, Any] | None = None
):  # type: ignore[no-untyped-def]
    """Invoke as if /admin were open to everyone (the run-time check decides)."""
    return await sim.invoke_command(guild, member, name, options or {}, ignore_default_permissions=True)


async def final_text(
    sim: DiscordSimulator, guild: str, member: str, name: str, options: dict[str, Any] | None = None
) -> str:
    """The ephemeral answer's text, whether sent at once or after a defer."""
    handle = await run(sim, guild, member, name, options)
    outcome = await handle.outcome()
    shown = outcome.followups[-1] if outcome.followups else outcome.original
    assert shown is not None and shown.ephemeral
    return embed_text(shown)


async def review_message(sim: DiscordSimulator, guild: str, member: str) -> SimMessage:
    handle = await run(sim, guild, member, "admin review")
    response = await handle.response()
    assert response.message is not None and response.message.ephemeral
    return response.message


async def press(
    sim: DiscordSimulator, message: SimMessage, label: str, member: str
) -> tuple[SimMessage, list[SimMessage]]:
    """Click a button; return the message as it ends up, and any ephemeral follow-ups."""
    handle = await sim.click(message, button(message, label)["custom_id"], member)
    outcome = await handle.outcome()
    original = outcome.original or message
    return original, outcome.followups


async def test_member_refused_everything(
    sim: DiscordSimulator, watcher: BotProcess, feeds: FeedServer
) -> None:
    """A plain member is refused every source and review command; nothing is fetched."""
    for name, options in (
        ("admin source-add", {"url": feeds.url("/dynamic.xml")}),
        ("admin source-list", {}),
        ("admin source-remove", {"id": 1}),
        ("admin source-pause", {"id": 1}),
        ("admin review", {}),
    ):
        assert "Manage Server" in await final_text(sim, "alpha", "member", name, options)
    assert feeds.hits == {}


async def test_source_add_review_accept_reject(
    sim: DiscordSimulator, watcher: BotProcess, feeds: FeedServer
) -> None:
    """source-add drafts at once; Accept puts the event in this server's /timeline and /search only; Reject sticks."""
    text = await final_text(
        sim,
        "alpha",
        "admin",
        "admin source-add",
        {"url": feeds.url("/dynamic.xml"), "topic": "peacekeepers", "label": "Wire"},
    )
    assert "Watching source" in text and "«Dyn»" in text and "2 item(s), 2 new draft(s)" in text

    assert "No sources yet" in await final_text(sim, "beta", "admin", "admin source-list")
    assert "No drafts are waiting" in await final_text(sim, "beta", "admin", "admin review")
    listing = await final_text(sim, "alpha", "admin", "admin source-list")
    assert "Wire" in listing and "Drafts waiting: 2" in listing

    first = await review_message(sim, "alpha", "admin")
    assert "Russia rejects the peacekeepers plan" in embed_text(first) and "`russia`" in embed_text(first)
    racer = await review_message(sim, "alpha", "bot_owner")  # a second curator on the same draft
    after_accept, _ = await press(sim, first, "Accept", "admin")
    shown = embed_text(after_accept)
    assert "Accepted draft" in shown and "Kremlin comments" in shown
    _, followups = await press(sim, racer, "Accept", "bot_owner")
    assert followups and "already accepted by" in embed_text(followups[0])

    after_reject, _ = await press(sim, after_accept, "Reject", "admin")
    assert "No drafts are waiting" in embed_text(after_reject)

    timeline = await (
        await sim.invoke_command("alpha", "member", "timeline", {"topic": "peacekeepers"})
    ).outcome()
    assert timeline.original is not None and "Russia rejects the peacekeepers plan" in embed_text(
        timeline.original
    )
    other = await (
        await sim.invoke_command("beta", "member", "timeline", {"topic": "peacekeepers"})
    ).outcome()
    assert other.original is not None and "Russia rejects the peacekeepers plan" not in embed_text(
        other.original
    )
    found = await (
        await sim.invoke_command("alpha", "member", "search", {"query": "peacekeepers plan"})
    ).outcome()
    assert found.original is not None and "Russia rejects" in embed_text(found.original)

    polls = feeds.hits.get("/dynamic.xml", 0)
    for _ in range(100):  # a few more poll cycles: the rejected and accepted items stay gone
        if feeds.hits.get("/dynamic.xml", 0) >= polls + 2:
            break
        await asyncio.sleep(0.1)
    assert feeds.hits["/dynamic.xml"] >= polls + 2
    assert "No drafts are waiting" in await final_text(sim, "alpha", "admin", "admin review")


async def test_refusals_and_notices(sim: DiscordSimulator, watcher: BotProcess, feeds: FeedServer) -> None:
    """Private URLs and HTML pages are refused with the reason; new drafts are announced without pings."""
    assert "private" in await final_text(
        sim, "alpha", "admin", "admin source-add", {"url": "http://10.0.0.8/feed"}
    )
    assert "HTML page" in await final_text(
        sim, "alpha", "admin", "admin source-add", {"url": feeds.url("/page.html")}
    )
    channel = await sim.add_channel("alpha", "review-queue")
    assert "announced" in await final_text(
        sim, "alpha", "admin", "admin review-channel", {"channel": channel}
    )
    await final_text(
        sim,
        "alpha",
        "admin",
        "admin source-add",
        {"url": feeds.url("/dynamic.xml"), "topic": "peacekeepers", "label": "@everyone wire"},
    )
    feeds.dynamic = rss_with([*ITEMS, ("n3", "A third item")])
    for _ in range(100):
        messages = await sim.channel_messages(channel)
        if any("1 new draft from" in (m.content or "") for m in messages):
            break
        await asyncio.sleep(0.1)
    notices = [m for m in await sim.channel_messages(channel) if "new draft" in (m.content or "")]
    assert notices and all(not m.would_ping for m in notices)
    assert any("1 new draft from" in (m.content or "") for m in notices)


async def test_add_to_briefing_from_a_message(
    sim: DiscordSimulator, watcher: BotProcess, feeds: FeedServer
) -> None:
    """A message with a link becomes a draft from the page's og:title and published date; members are refused."""
    message = await sim.post_user_message("alpha", "member", f"Look: {feeds.url('/page.html')} (big news)")
    refused = await (
        await sim.invoke_message_command(
            "member", "Add to briefing", message, ignore_default_permissions=True
        )
    ).outcome()
    assert refused.original is not None and "Manage Server" in embed_text(refused.original)
    added = await (await sim.invoke_message_command("admin", "Add to briefing", message)).outcome()
    reply = added.followups[-1] if added.followups else added.original
    assert reply is not None and reply.ephemeral
    assert "Parliament votes on the budget" in embed_text(reply) and "2024-09-14" in embed_text(reply)
    again = await (await sim.invoke_message_command("admin", "Add to briefing", message)).outcome()
    shown = again.followups[-1] if again.followups else again.original
    assert shown is not None and "already draft" in embed_text(shown)
    draft = await review_message(sim, "alpha", "admin")
    assert "Parliament votes on the budget" in embed_text(draft) and "added from a message" in embed_text(
        draft
    )
    assert "No drafts are waiting" in await final_text(sim, "beta", "admin", "admin review")


async def test_edit_and_position_and_restart(
    sim: DiscordSimulator, bot_factory: BotLauncher, feeds: FeedServer
) -> None:
    """Edit opens a prefilled form whose save accepts; As position records a statement; buttons outlive a restart."""
    parts = urlsplit(feeds.base)
    env = {"SOURCE_ALLOW_HOSTS": f"{parts.hostname}:{parts.port}", "SOURCE_MIN_INTERVAL_SECONDS": "0"}
    first_bot = await asyncio.to_thread(bot_factory.start, extra_env=env)
    await final_text(
        sim, "alpha", "admin", "admin source-add", {"url": feeds.url("/dynamic.xml"), "topic": "peacekeepers"}
    )
    message = await review_message(sim, "alpha", "admin")
    opened = await sim.click(message, button(message, "Edit")["custom_id"], "admin")
    form = await opened.modal()
    defaults = {c["custom_id"]: c.get("value") for row in form["components"] for c in row["components"]}
    assert defaults["title"] == "Russia rejects the peacekeepers plan" and defaults["topic"] == "peacekeepers"
    assert defaults["date"] == "2024-12-02" and defaults["actors"] == "russia"
    saved = await sim.submit_modal(opened, None, {"title": "Moscow rejects the peacekeepers plan"})
    await saved.outcome()
    search = await (await sim.invoke_command("alpha", "member", "search", {"query": "Moscow"})).outcome()
    assert search.original is not None and "Moscow rejects the peacekeepers plan" in embed_text(
        search.original
    )

    message = await review_message(sim, "alpha", "admin")
    assert "Kremlin comments" in embed_text(message)
    await asyncio.to_thread(first_bot.stop)
    await asyncio.to_thread(bot_factory.start, db_path=first_bot.db_path, extra_env=env)
    opened = await sim.click(message, button(message, "As position")["custom_id"], "admin")
    await opened.modal()
    saved = await sim.submit_modal(opened, None, {"stance": "opposes", "actors": "russia"})
    outcome = await saved.outcome()
    final = outcome.original
    assert (
        final is not None
        and "Accepted draft" in embed_text(final)
        and "pos-russia-peacekeepers" in embed_text(final)
    )
    entry_id = re.search(r"as (pos-[a-z0-9-]+)", embed_text(final))
    assert entry_id is not None
    entry = await (await sim.invoke_command("alpha", "member", "entry", {"id": entry_id.group(1)})).outcome()
    assert entry.original is not None and "Kremlin comments" in embed_text(entry.original)
    assert "Opposes" in embed_text(entry.original)


async def test_accepted_draft_reaches_the_next_digest_and_a_waiting_one_does_not(
    sim: DiscordSimulator, watcher: BotProcess, feeds: FeedServer
) -> None:
    """An accepted draft is an ordinary audited write: the server's next digest lists it; drafts still waiting never reach members."""
    channel = await sim.add_channel("alpha", "source-digest")
    subscribed = await final_text(
        sim,
        "alpha",
        "admin",
        "digest subscribe",
        {"channel": channel, "time": "09:00", "timezone": "UTC", "topics": "peacekeepers"},
    )
    match = re.search(r"#(\d+)", subscribed)
    assert match, subscribed
    await final_text(
        sim, "alpha", "admin", "admin source-add", {"url": feeds.url("/dynamic.xml"), "topic": "peacekeepers"}
    )
    first = await review_message(sim, "alpha", "admin")
    assert "Russia rejects the peacekeepers plan" in embed_text(first)
    await press(sim, first, "Accept", "admin")

    assert "Posted" in await final_text(sim, "alpha", "admin", "digest send-now", {"id": int(match[1])})
    posted = embed_text(await sim.wait_for_channel_message(channel, timeout=5))
    assert "Russia rejects the peacekeepers plan" in posted
    assert "Kremlin comments on troop contingents" not in posted  # still a draft: unreviewed
