"""/timeline chart:true through the simulator: the chart above the list, as a referenced attachment."""

from __future__ import annotations

import io

from PIL import Image

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess
from tests.e2e.helpers import button, embed_text

MAX_IMAGE_BYTES = 200 * 1024


def _decodes(data: bytes) -> None:
    assert len(data) <= MAX_IMAGE_BYTES
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.format == "PNG"


async def test_chart_is_an_attachment_shown_above_the_list(sim: DiscordSimulator, bot: BotProcess) -> None:
    """chart:true: a PNG attachment, referenced by the first embed; the event list is the embed after it."""
    handle = await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine", "chart": True})
    message = await handle.original()  # what members see, past any deferral
    assert message is not None and not message.ephemeral
    (attachment,) = message.attachments
    assert attachment.filename == "timeline.png"
    _decodes(attachment.data)
    chart, listing = message.embeds
    assert chart["image"]["url"] == "attachment://timeline.png"
    assert "Timeline" in listing["title"] and "Page 1/" in embed_text(message)


async def test_next_page_brings_its_own_chart(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Next keeps the chart: the edited message holds page 2's picture, still referenced by its embed."""
    handle = await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine", "chart": True})
    first = await handle.original()
    assert first is not None
    click = await sim.click(first, button(first, "Next")["custom_id"], "member")
    await click.response()
    updated = await handle.original()
    assert "Page 2/" in embed_text(updated)
    (attachment,) = updated.attachments
    assert updated.embeds[0]["image"]["url"] == f"attachment://{attachment.filename}"
    _decodes(attachment.data)
    assert attachment.data != first.attachments[0].data


async def test_without_chart_no_attachment(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Without chart the timeline is the list alone: one embed, no attachment."""
    handle = await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine"})
    message = await handle.original()  # what members see, past any deferral
    assert message is not None
    assert len(message.embeds) == 1 and not message.attachments
