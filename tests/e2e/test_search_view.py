"""/search as members see it: bold highlights, flags, titles and excerpts (issue 17, section 3)."""

from __future__ import annotations

from typing import Any

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess


async def _fields(sim: DiscordSimulator, query: str) -> list[dict[str, Any]]:
    """The result fields, each with the entry id its "Open an entry…" option carries (as `_id`)."""
    handle = await sim.invoke_command("alpha", "member", "search", {"query": query})
    message = (await handle.response()).message
    assert message is not None and message.embeds
    fields = list(message.embeds[0].get("fields") or [])
    menus = [c for row in message.components for c in row.get("components", []) if c.get("type") == 3]
    ids = [o["value"] for o in menus[0]["options"]] if menus else []
    return [{**f, "_id": ids[i] if i < len(ids) else ""} for i, f in enumerate(fields)]


def _excerpt(field: dict[str, Any]) -> str:
    return str(field["value"]).split("\n")[0]


async def test_search_highlights_are_bold_not_escaped(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A matched word is shown **bold**; no escaped asterisks reach the reader."""
    fields = await _fields(sim, "neutral")
    excerpts = [_excerpt(f) for f in fields]
    assert any("**neutral**" in e for e in excerpts), excerpts
    assert not any("\\*" in e for e in excerpts), excerpts
    assert all(e.count("**") % 2 == 0 for e in excerpts), excerpts


async def test_disputed_search_result_is_flagged_in_its_title(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A disputed result carries ⚠️ in its title, not only in its status line."""
    fields = await _fields(sim, "Vilnius irreversible")
    disputed = [f for f in fields if "⚠️ Disputed" in f["value"]]
    assert disputed
    assert all(f["name"].endswith("⚠️") for f in disputed)
    assert not any(f["name"].endswith("⚠️") for f in fields if f not in disputed)


async def test_excerpts_do_not_show_indexed_names(sim: DiscordSimulator, bot: BotProcess) -> None:
    """An event's excerpt is its own text: the actor names and topic titles indexed with it stay out."""
    fields = await _fields(sim, "sovereignty")
    event = next(f for f in fields if f["_id"] == "ev-2025-02-18-zakharova-bucharest")
    excerpt = _excerpt(event)
    assert not excerpt.rstrip("…").rstrip().endswith(("Russia", "NATO", "Ukraine", "membership"))
    assert "NATO membership" not in excerpt
    assert "sovereignty" in excerpt
    # the names are still searchable: the topic's title finds the event
    assert any(f["_id"] == "ev-2025-02-18-zakharova-bucharest" for f in await _fields(sim, "Bucharest"))


async def test_positions_are_titled_by_stance_and_earlier_ones_marked(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """Positions read "🔴 Russia — Opposes · topic"; a superseded one says "earlier statement", the current one not."""
    fields = await _fields(sim, "sovereignty")
    old = next(f for f in fields if f["_id"] == "pos-russia-nato-ukraine-2025-02-18")
    assert old["name"].split(". ", 1)[1] == "🔴 Russia — Opposes · Ukraine's NATO membership"
    assert "earlier statement" in old["value"]
    fields = await _fields(sim, "EUCO leaders political will")
    marked = {f["_id"]: "earlier statement" in f["value"] for f in fields if f["_id"].startswith("pos-")}
    # Later EU statements on the peace talks superseded this one.
    assert marked.get("pos-european-union-peace-talks-2025-03-20") is True
    fields = await _fields(sim, "28-point draft basis additional work")
    marked = {f["_id"]: "earlier statement" in f["value"] for f in fields if f["_id"].startswith("pos-")}
    assert marked.get("pos-european-union-peace-talks-2025-11-22") is True
    fields = await _fields(sim, "maximalist demands minimalist response")
    marked = {f["_id"]: "earlier statement" in f["value"] for f in fields if f["_id"].startswith("pos-")}
    assert marked.get("pos-european-union-peace-talks-2026-02-15") is False  # the current one
