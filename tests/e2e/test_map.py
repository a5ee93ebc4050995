"""/map through the simulator: a PNG attachment the embed shows, with the grid as text (issue 17, §4)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess
from tests.e2e.helpers import embed_text

MAX_IMAGE_BYTES = 200 * 1024


async def _map(sim: DiscordSimulator, options: dict[str, Any] | None = None) -> Any:
    handle = await sim.invoke_command("alpha", "member", "map", options or {})
    message = (await handle.response()).message
    assert message is not None
    return message


async def test_map_attaches_a_png_the_embed_shows(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/map: the picture reaches the channel as an attachment and the embed's image references it."""
    message = await _map(sim)
    assert not message.ephemeral
    assert [a.filename for a in message.attachments] == ["stance-map.png"]
    (attachment,) = message.attachments
    assert message.embeds[0]["image"]["url"] == f"attachment://{attachment.filename}"
    assert len(attachment.data) <= MAX_IMAGE_BYTES
    with Image.open(io.BytesIO(attachment.data)) as image:
        image.load()  # decodes every pixel: a truncated or corrupt PNG fails here
        assert image.format == "PNG"
        assert image.width >= 400 and image.height >= 200


async def test_map_embed_holds_the_grid_as_text(sim: DiscordSimulator, bot: BotProcess) -> None:
    """The embed holds the grid as text: a letter per cell, and the legend ("?" marks no position)."""
    text = embed_text(await _map(sim))
    rows = {
        line.split("  ")[0]: line
        for line in text.splitlines()
        if line.startswith(("Russia", "France", "Hungary"))
    }
    # Every shipped topic with positions has one from all eight actors, so the columns tie on
    # coverage and go by title: defence spending, foreign troops, military aid, peace talks,
    # security guarantees, NATO. The background topic (the war itself) holds no positions.
    assert rows["Russia"].split()[1:] == ["O", "O", "O", "C", "C", "O"]
    assert rows["France"].split()[1:] == ["S", "S", "S", "C", "S", "S"]
    assert rows["Hungary"].split()[1:] == ["C", "O", "O", "S", "C", "O"]
    assert "T1 European and allied defence spending" in text
    assert "T3 Military aid and intelligence for Ukraine" in text
    assert "T6 Ukraine's NATO membership" in text
    assert "? no position" in text and "disputed" in text


async def test_map_options_narrow_it(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Named topics and actors (aliases too) are the map's columns and rows, in the order given."""
    message = await _map(sim, {"topics": "peacekeepers", "actors": "uk, russia"})
    text = embed_text(message)
    assert "Where 2 actors stand on 1 topic (current positions)." in text
    grid = [line for line in text.splitlines() if line.startswith(("United Kingdom", "Russia"))]
    assert [line.split("  ")[0] for line in grid] == ["United Kingdom", "Russia"]
    assert "United States" not in text
    assert len(message.attachments) == 1


async def test_map_unknown_name_is_a_private_hint(sim: DiscordSimulator, bot: BotProcess) -> None:
    """An unknown actor gets a private reply naming the closest matches; nothing is posted."""
    message = await _map(sim, {"actors": "russia, frnace"})
    assert message.ephemeral
    assert "france" in message.content.lower()
    assert not message.attachments


async def test_map_options_autocomplete_the_last_name(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Autocomplete completes the last comma-separated name and keeps the ones before it."""
    choices = await sim.autocomplete("alpha", "member", "map", {"actors": "russia, uk"}, focused="actors")
    assert {"russia, ukraine", "russia, united-kingdom"} <= {c["value"] for c in choices}
    assert all(c["value"].startswith("russia, ") for c in choices)
    topics = await sim.autocomplete("alpha", "member", "map", {"topics": "peace"}, focused="topics")
    assert topics and topics[0]["value"] in ("peace-talks", "peacekeepers")


async def test_map_with_too_many_names_says_the_limit(sim: DiscordSimulator, bot: BotProcess) -> None:
    """More actors than the map holds: a private reply naming the option and the limit."""
    message = await _map(sim, {"actors": ",".join(["ru"] * 13)})
    assert message.ephemeral
    assert "actors" in message.content and "12" in message.content
    assert not message.attachments
