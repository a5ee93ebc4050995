"""The /timeline chart picture: decodes, small, and shows what differs between events."""

from __future__ import annotations

import io

from PIL import Image

from bot.domain import Status
from bot.render import chart_embed, timeline_chart_png
from tests.render.builders import actor, event
from tests.support.render import plot_colours


def _pixels(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.format == "PNG"
        return image.tobytes()


def test_chart_of_a_page_is_a_small_png() -> None:
    """Eight events with Cyrillic titles and names decode as a PNG of at most 200 KB."""
    events = [
        event(
            f"ev-{i}",
            title=f"Переговоры {i} в Стамбуле",
            when=f"2025-0{i + 1}",
            actors=(actor("ru", "Россия"),),
        )
        for i in range(8)
    ]
    png = timeline_chart_png(events)
    assert len(png) <= 200 * 1024
    _pixels(png)


def test_disputed_event_is_drawn_differently() -> None:
    """A disputed event is drawn hollow: the picture differs from the same event reported."""
    reported = timeline_chart_png([event(), event("ev-2", when="2025-03")])
    disputed = timeline_chart_png([event(status=Status.DISPUTED), event("ev-2", when="2025-03")])
    assert _pixels(reported) != _pixels(disputed)


def test_month_precision_is_a_span_not_a_dot() -> None:
    """An event known to the month is drawn unlike one known to a day of it."""
    day_precise = timeline_chart_png([event(when="2025-03-01"), event("ev-2", when="2024-06-01")])
    month = timeline_chart_png([event(when="2025-03"), event("ev-2", when="2024-06-01")])
    assert _pixels(day_precise) != _pixels(month)


def test_chart_embed_references_its_attachment() -> None:
    """The chart's embed shows the attachment by name and holds no text of its own."""
    embed = chart_embed()
    assert embed.image.url == "attachment://timeline.png"
    assert len(embed) == 0


def test_an_event_of_two_actors_has_a_mark_in_each_actors_colour() -> None:
    """A meeting of Russia and the United States is drawn in both actors' colours, not as Russia's
    alone (the first actor by name); an event of one actor shows only its colour."""
    russia, us = (0x58, 0x65, 0xF2), (0xE7, 0x4C, 0x3C)  # the first two colours of the palette
    both = event(actors=(actor("russia", "Russia"), actor("united-states", "United States")))
    drawn = plot_colours(timeline_chart_png([both]))
    assert russia in drawn and us in drawn
    alone = plot_colours(timeline_chart_png([event(actors=(actor("russia", "Russia"),))]))
    assert russia in alone and us not in alone


def test_a_span_of_several_actors_is_striped_in_their_colours() -> None:
    """An event known only to the month, naming two actors, shows both colours in its bar."""
    russia, us = (0x58, 0x65, 0xF2), (0xE7, 0x4C, 0x3C)
    month = event(when="2025-03", actors=(actor("russia", "Russia"), actor("united-states", "United States")))
    drawn = plot_colours(timeline_chart_png([month]))
    assert russia in drawn and us in drawn


PALETTE = ((0x58, 0x65, 0xF2), (0xE7, 0x4C, 0x3C), (0x2E, 0xCC, 0x71))  # the palette's first colours


def test_an_actor_keeps_its_colour_from_page_to_page() -> None:
    """An actor's colour comes from its place among every actor the server sees, so the United
    States is drawn in the same colour on a page without Russia as on a page with it."""
    everyone = ("russia", "united-states")
    russia, us = actor("russia", "Russia"), actor("united-states", "United States")
    with_russia = plot_colours(timeline_chart_png([event(actors=(russia, us))], everyone))
    without = plot_colours(timeline_chart_png([event(actors=(us,))], everyone))
    assert PALETTE[1] in with_russia and PALETTE[1] in without
    assert PALETTE[0] not in without


def test_actors_sharing_a_colour_get_different_ones_on_a_page() -> None:
    """With more actors than colours, two whose colours coincide are still told apart on a page."""
    everyone = tuple(f"actor-{n:02d}" for n in range(11))  # the 1st and 11th share a colour
    first, eleventh = actor("actor-00", "First"), actor("actor-10", "Eleventh")
    drawn = plot_colours(timeline_chart_png([event(actors=(first, eleventh))], everyone))
    assert PALETTE[0] in drawn and PALETTE[1] in drawn
