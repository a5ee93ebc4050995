"""Page buttons on a message: they answer from the server where they are pressed, whatever server their
custom_id was made in, and a damaged id on a message answers "No such page."."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import yaml

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess
from tests.discord_sim.messages import SimMessage
from tests.e2e.helpers import answer, button, embed_text


def _events(prefix: str, dates: list[str]) -> dict[str, object]:
    """An import file of nato-ukraine events titled `<prefix> meeting <n>`, one per date."""
    return {
        "events": [
            {
                "id": f"ev-{day}-{prefix.lower()}-meeting-{n}",
                "date": day,
                "title": f"{prefix} meeting {n}",
                "summary": f"Held by {prefix} only.",
                "status": "reported",
                "topics": ["nato-ukraine"],
                "sources": [{"url": f"https://example.org/{prefix.lower()}/{n}", "publisher": "Example"}],
            }
            for n, day in enumerate(dates, start=1)
        ]
    }


async def _import(sim: DiscordSimulator, guild: str, doc: dict[str, object]) -> None:
    """Import `doc` as `guild`'s own entries through /admin import and its Apply button."""
    attachment = await sim.register_attachment(f"{guild}.yaml", yaml.safe_dump(doc).encode())
    handle = await sim.invoke_command(
        guild, "admin", "admin import", {"file": attachment}, ignore_default_permissions=True
    )
    preview = await handle.original()
    click = await sim.click(preview, button(preview, "Apply")["custom_id"], "admin")
    await click.response()
    assert "Import applied" in embed_text(await click.original())


async def _repost(
    sim: DiscordSimulator, message: SimMessage, guild: str, ids: dict[str, str] | None = None
) -> SimMessage:
    """The bot's public `message`, buttons and all, as a message in `guild`'s general channel;
    `ids` replaces custom_ids (a message posted by an older or damaged build)."""

    def create() -> SimMessage:
        stored = sim.state.store.messages[message.id]
        target = sim.guild(guild)
        components = copy.deepcopy(stored.components)
        for row in components:
            for component in row.get("components", []):
                component["custom_id"] = (ids or {}).get(component["custom_id"], component["custom_id"])
        reposted = dataclasses.replace(
            stored,
            id=sim.state.ids.next(),
            channel_id=target.channel("general").id,
            guild_id=target.id,
            interaction=None,
            interaction_id=None,
            components=components,
        )
        return sim.state.store.add(reposted).snapshot()

    return await sim.call(create)


async def test_a_button_made_in_one_server_answers_from_the_server_it_is_pressed_in(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """alpha's /timeline Next button, pressed in beta, shows beta's page 2 (with beta's own event)
    and none of alpha's own events: the server comes from the click, never from the custom_id."""
    await _import(sim, "alpha", _events("Alpha", [f"2008-01-{d:02d}" for d in range(1, 11)]))
    await _import(sim, "beta", _events("Beta", ["2022-12-01"]))
    made_in_alpha = await answer(
        await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine"})
    )
    assert "Alpha meeting 1" in embed_text(made_in_alpha) and "Page 1/7" in embed_text(made_in_alpha)
    next_id = button(made_in_alpha, "Next")["custom_id"]

    in_beta = await _repost(sim, made_in_alpha, "beta")
    click = await sim.click(in_beta, next_id, "member")
    response = await click.response()
    assert response.type_name == "UPDATE_MESSAGE"
    shown = embed_text(await click.original())
    assert "Page 2/5" in shown
    assert "Beta meeting 1" in shown
    assert "Alpha meeting" not in shown

    pressed_in_alpha = await sim.click(made_in_alpha, next_id, "member")
    await pressed_in_alpha.response()
    alpha_page = embed_text(await pressed_in_alpha.original())
    assert "Page 2/7" in alpha_page and "Alpha meeting 6" in alpha_page


@pytest.mark.parametrize(
    "damaged",
    ["pg:tl:1:nato-ukraine||2025-13||", "pg:tl:1:nato-ukraine||||x", "pg:en:1:", "pg:zz:1:nato-ukraine"],
)
async def test_a_damaged_page_id_on_a_message_says_no_such_page(
    sim: DiscordSimulator, bot: BotProcess, damaged: str
) -> None:
    """A button the message really carries, whose id decodes to no page (a bad date, an unknown
    flag or view, a missing entry id), answers privately 'No such page.' and leaves the message."""
    first = await answer(await sim.invoke_command("beta", "member", "timeline", {"topic": "nato-ukraine"}))
    message = await _repost(sim, first, "beta", {button(first, "Next")["custom_id"]: damaged})
    click = await sim.click(message, damaged, "member")
    response = await click.response()
    assert response.message is not None and response.message.ephemeral
    assert embed_text(response.message).strip() == "No such page."
