"""The /timeline chart as the answer builds it: each actor in its own colour, page after page."""

from __future__ import annotations

from bot.discord_app import answers
from bot.domain import TimelineQuery
from bot.store import Store
from tests.store.conftest import GUILD_A
from tests.store.test_curation import CURATOR_A
from tests.support.render import plot_colours

# The palette's first three colours: the seeded actors' in the order they were added (the dataset's
# order: Russia, United States, NATO).
RUSSIA, US, NATO = (0x58, 0x65, 0xF2), (0xE7, 0x4C, 0x3C), (0x2E, 0xCC, 0x71)
FOURTH = (0xF1, 0xC4, 0x0F)


async def _peacekeepers_colours(store: Store, guild_id: int | None) -> set[tuple[int, int, int]]:
    answer = await answers.timeline(store, guild_id, TimelineQuery("peacekeepers", chart=True))
    ((_, png),) = answer.files
    return plot_colours(png)


async def test_chart_colours_each_actor_by_its_place_among_the_servers_actors(seeded: Store) -> None:
    """The NATO membership timeline names NATO and the United States, not Russia: they keep their
    own colours (third and second in the order added), not the palette's first two in order of
    appearance (NATO first)."""
    answer = await answers.timeline(seeded, None, TimelineQuery("nato-ukraine", chart=True))
    ((_, png),) = answer.files
    drawn = plot_colours(png)
    assert NATO in drawn and US in drawn
    assert RUSSIA not in drawn


async def test_an_actor_added_later_leaves_the_others_colours_as_they_were(seeded: Store) -> None:
    """A server adds "Albania", first by name: Russia and the United States are drawn as before, not
    moved one colour along, and nothing is drawn in the colour the new actor takes."""
    before = await _peacekeepers_colours(seeded, GUILD_A)
    await seeded.curation.add_actor(CURATOR_A, slug="albania", name="Albania", kind="state", aliases=[])
    assert [a.slug for a in await seeded.reads.actors_in_order_added(GUILD_A)][-1] == "albania"
    after = await _peacekeepers_colours(seeded, GUILD_A)
    assert RUSSIA in after and US in after
    assert after == before and FOURTH not in after
