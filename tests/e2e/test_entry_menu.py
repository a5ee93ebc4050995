"""Lists without entry ids, an "Open an entry…" menu under each, and /brief's gist line (issue 17 §1–2)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.discord_sim.messages import SimMessage
from tests.e2e.helpers import answer as reply_of
from tests.e2e.helpers import button, callbacks, embed_text

MENU = "Open an entry…"
ID_LIKE = re.compile(r"\b(?:pos|ev)-[a-z0-9-]{6,}")
LISTS: list[tuple[str, dict[str, str]]] = [
    ("brief", {"topic": "peace-talks"}),
    ("timeline", {"topic": "nato-ukraine"}),
    ("position", {"actor": "russia"}),
    ("compare", {"topic": "nato-ukraine", "actor_a": "russia", "actor_b": "ukraine"}),
    ("search", {"query": "ceasefire"}),
]
GIST = "Talks only if neutrality is written into any deal"
CURATED = {
    "actor": "russia",
    "topic": "security-guarantees",
    "stance": "conditional",
    "summary": "Talks possible if neutrality is written into any deal. A second sentence.",
    "source_url": "https://www.reuters.com/world/example",
    "date": "2026-05",
    "gist": GIST,
}


def menu(message: SimMessage) -> dict[str, Any]:
    """The message's "Open an entry…" select menu."""
    found = [
        c
        for row in message.components
        for c in row.get("components", [])
        if c.get("type") == 3 and c.get("placeholder") == MENU
    ]
    assert len(found) == 1, message.components
    return found[0]


async def answer(sim: DiscordSimulator, guild: str, name: str, options: dict[str, str]) -> SimMessage:
    message = (await (await sim.invoke_command(guild, "member", name, options)).response()).message
    assert message is not None
    return message


async def open_entry(sim: DiscordSimulator, message: SimMessage, value: str) -> SimMessage:
    """Pick `value` in the message's menu; the reply it gets."""
    handle = await sim.select(message, menu(message)["custom_id"], [value], "member")
    reply = (await handle.response()).message
    assert reply is not None
    return reply


async def test_list_views_show_no_entry_ids_and_offer_each_item(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/brief, /timeline, /position, /compare and /search: no id in the text; the menu offers the items."""
    for name, options in LISTS:
        message = await answer(sim, "alpha", name, options)
        values = [o["value"] for o in menu(message)["options"]]
        assert values, name
        text = embed_text(message)
        assert ID_LIKE.search(text) is None, (name, ID_LIKE.search(text))
        assert not any(v in text for v in values), name
        assert all(len(o["label"]) <= 100 for o in menu(message)["options"])


async def test_menu_labels_lead_with_what_tells_the_items_apart(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/position actor:russia already names Russia: its options start with each topic. /brief is about
    one topic: its positions' options start with each actor and leave the topic out."""
    message = await answer(sim, "alpha", "position", {"actor": "russia"})
    text = embed_text(message)
    labels = [o["label"] for o in menu(message)["options"]]
    assert len(labels) > 1
    for label in labels:
        assert "Russia" not in label, label
        topic_title = label.split(" ", 1)[1].split(" — ", 1)[0]
        assert topic_title in text, label

    message = await answer(sim, "alpha", "brief", {"topic": "peace-talks"})
    positions = [o["label"] for o in menu(message)["options"] if not o["label"].startswith("📅")]
    assert len(positions) > 1
    assert all("Peace talks" not in label for label in positions), positions
    assert any(label.split(" ", 1)[1].startswith("Russia — ") for label in positions), positions


async def test_menu_opens_the_entry_privately_with_its_id(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Choosing an item answers only the member who chose, with /entry for it (the id in its footer)."""
    message = await answer(sim, "alpha", "brief", {"topic": "peace-talks"})
    chosen = menu(message)["options"][0]["value"]
    handle = await sim.select(message, menu(message)["custom_id"], [chosen], "member")
    reply = (await handle.response()).message
    assert reply is not None and reply.ephemeral
    footer = (reply.embeds[0].get("footer") or {}).get("text") or ""
    assert f"id: {chosen}" in footer
    assert reply.pings == ()
    assert callbacks(sim, handle) == [({}, 204)]  # no copy of the message asked back


async def test_brief_line_shows_the_gist(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/brief says each actor's position: '🟡 **Russia** ℹ️ — Conditional: <gist> (25 Feb 2026)'."""
    text = embed_text(await answer(sim, "alpha", "brief", {"topic": "peace-talks"}))
    assert (
        "🟡 **Russia** ℹ️ — Conditional: A leaders' summit only to finalise a deal; a Putin–Zelensky "
        "meeting in doubt while Kyiv keeps its position (25 Feb 2026)"
    ) in text


async def test_menu_takes_the_server_from_the_click_and_survives_a_restart(
    sim: DiscordSimulator, bot_factory: BotLauncher
) -> None:
    """A server-only entry opens from its own server's menu, even after a restart; a crafted menu
    offering it in another server gets 'not found', never the entry."""
    first = await bot_factory.astart()
    curated = await sim.invoke_command(
        "alpha", "admin", "admin position-set", CURATED, ignore_default_permissions=True
    )
    recorded = embed_text(await reply_of(curated))
    curated_id = recorded.split("`")[1]
    assert curated_id.startswith("pos-russia-security-guarantees-2026-05")
    alpha = await answer(sim, "alpha", "brief", {"topic": "security-guarantees"})
    assert f"🟡 **Russia** — Conditional: {GIST} (May 2026)" in embed_text(alpha)
    assert curated_id in [o["value"] for o in menu(alpha)["options"]]
    beta = await answer(sim, "beta", "brief", {"topic": "security-guarantees"})
    assert curated_id not in [o["value"] for o in menu(beta)["options"]]
    await asyncio.to_thread(bot_factory.restart, first)

    opened = await open_entry(sim, alpha, curated_id)
    assert opened.ephemeral and GIST in embed_text(opened)

    def craft() -> None:  # a hostile client can send any value: put alpha's id into beta's menu
        stored = sim.state.store.messages[beta.id]
        for row in stored.components:
            for c in row.get("components", []):
                if c.get("type") == 3:
                    c["options"].append({"label": "x", "value": curated_id})

    await sim.call(craft)
    refused = await open_entry(sim, beta, curated_id)
    assert refused.ephemeral
    assert GIST not in embed_text(refused) and "neutrality" not in embed_text(refused)


async def test_a_repeated_answers_buttons_and_menu_work_on_every_copy(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """The second /timeline for the same question is the cached answer with the same components;
    Next and the menu work on both messages, each editing or answering for its own message."""
    handles = [
        await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine"}) for _ in range(2)
    ]
    copies = [await reply_of(handle) for handle in handles]
    assert copies[0].components == copies[1].components
    for handle, message in zip(handles, copies, strict=True):
        chosen = menu(message)["options"][0]["value"]
        reply = await open_entry(sim, message, chosen)
        assert reply.ephemeral
        assert f"id: {chosen}" in ((reply.embeds[0].get("footer") or {}).get("text") or "")
        click = await sim.click(message, button(message, "Next")["custom_id"], "member")
        assert (await click.response()).type_name == "UPDATE_MESSAGE"
        assert "Page 2/" in embed_text(await handle.original())
