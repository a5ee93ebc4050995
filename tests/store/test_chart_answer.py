"""The /timeline chart as the answer builds it: each actor in its own colour, page after page."""

from __future__ import annotations

from bot.discord_app import answers
from bot.domain import TimelineQuery
from bot.store import Store
from tests.support.render import plot_colours

# The palette's first three colours: the seeded actors' by name (NATO, Russia, United States).
NATO, RUSSIA, US = (0x58, 0x65, 0xF2), (0xE7, 0x4C, 0x3C), (0x2E, 0xCC, 0x71)


async def test_chart_colours_each_actor_by_its_place_among_the_servers_actors(seeded: Store) -> None:
    """The peacekeepers timeline names the United States and Russia, not NATO: they keep their own
    colours (second and third by name), not the first colours of the palette in order of appearance."""
    answer = await answers.timeline(seeded, None, TimelineQuery("peacekeepers", chart=True))
    ((_, png),) = answer.files
    drawn = plot_colours(png)
    assert RUSSIA in drawn and US in drawn
    assert NATO not in drawn
