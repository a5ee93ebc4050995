"""The "Open an entry…" menu's choices: what a list offers to open."""

from __future__ import annotations

from bot.render import entry_choices
from tests.render.builders import event


def test_a_menu_offers_at_most_discords_25_options_in_order_without_repeats() -> None:
    """Thirty listed items (one listed twice): the first 25, once each — a select takes at most 25."""
    items = [event(f"ev-{n:02d}", title=f"Meeting {n}") for n in range(30)]
    choices = entry_choices([items[0], *items])
    assert [entry_id for entry_id, _ in choices] == [f"ev-{n:02d}" for n in range(25)]
    assert choices[3][1].endswith("Meeting 3")
