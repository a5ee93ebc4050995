"""The buttons and menu under an answer are built once per answer and sent as components only.

A cached answer asked again is the hot path (issue 16): it reuses its view rather than building
one per reply, and the view is stopped, so discord.py neither stores it per message nor starts a
15-minute timeout task for each ephemeral reply. Clicks still work because every item is a
DynamicItem the client dispatches by custom_id (tests/e2e/test_entry_menu.py clicks them).
"""

from __future__ import annotations

import discord

from bot.discord_app.answers import Answer
from bot.discord_app.paging import entry_menu_view, pager
from bot.domain import PositionQuery

ENTRIES = (("pos-russia-1", "Russia · 2025-03"), ("pos-russia-2", "Russia · 2025-05"))


def _answer(page: int = 0) -> Answer:
    return Answer(discord.Embed(title="Russia"), page, 3, PositionQuery("russia"), entries=ENTRIES)


async def test_the_same_answer_reuses_one_stopped_view() -> None:
    answer = _answer()
    view = pager(answer)
    assert view is not None
    assert pager(answer) is view
    assert view.is_finished()
    assert view.timeout is None


async def test_each_answer_gets_its_own_buttons() -> None:
    first, second = pager(_answer(0)), pager(_answer(1))
    assert first is not None and second is not None and first is not second
    ids = [[c["custom_id"] for c in row["components"]] for row in first.to_components()]
    assert ids != [[c["custom_id"] for c in row["components"]] for row in second.to_components()]
    labels = [c.get("label") for row in first.to_components() for c in row["components"]]
    assert labels[:2] == ["◀ Previous", "Next ▶"]
    menu = first.to_components()[-1]["components"][0]
    assert [o["value"] for o in menu["options"]] == [entry_id for entry_id, _ in ENTRIES]


async def test_an_answer_with_one_page_and_no_items_has_no_view() -> None:
    lone = Answer(discord.Embed(title="Russia"), 0, 1, PositionQuery("russia"))
    assert pager(lone) is None
    assert pager(lone) is None


async def test_a_digests_menu_is_stopped_too() -> None:
    view = entry_menu_view(ENTRIES)
    assert view.is_finished()
    assert [o["value"] for o in view.to_components()[0]["components"][0]["options"]] == [
        "pos-russia-1",
        "pos-russia-2",
    ]
