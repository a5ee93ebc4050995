"""The stance map picture and embed: letters, ?, ⚠, Cyrillic, size and limits."""

from __future__ import annotations

import io
import itertools

from PIL import Image

from bot.domain import MapCell, Stance, StanceMap, Status
from bot.render import MAP_MAX_ACTORS, MAP_MAX_TOPICS, stance_map_embed, stance_map_png
from bot.render.fonts import font
from bot.render.search import highlighted
from bot.render.stance_map import _HEAD_LINES, _HEAD_W, _wrap, grid_text
from tests.render.builders import HOSTILE, actor, assert_sendable, desc, topic

STANCES = itertools.cycle(list(Stance))


def _map(n_actors: int, n_topics: int, *, name: str = "Actor", title: str = "Topic") -> StanceMap:
    actors = tuple(actor(f"a{i}", f"{name} {i}") for i in range(n_actors))
    topics = tuple(topic(f"t{j}", f"{title} {j}") for j in range(n_topics))
    cells = tuple(
        tuple(
            None if (i + j) % 5 == 0 else MapCell(next(STANCES), Status.REPORTED, f"p-{i}-{j}")
            for j in range(n_topics)
        )
        for i in range(n_actors)
    )
    return StanceMap(actors, topics, cells)


def _decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_largest_map_is_a_small_valid_png() -> None:
    """12 × 10 with long Cyrillic names decodes as a PNG of at most 200 KB."""
    smap = _map(
        MAP_MAX_ACTORS, MAP_MAX_TOPICS, name="Российская Федерация и другие", title="Членство Украины в НАТО"
    )
    png = stance_map_png(smap)
    assert len(png) <= 200 * 1024
    image = _decoded(png)
    assert image.format == "PNG" and image.width > 1000


def test_disputed_cell_is_marked_in_picture_and_text() -> None:
    """A disputed cell gets ⚠ in the picture (the pixels differ) and `!` in the text grid."""
    plain = StanceMap((actor(),), (topic(),), ((MapCell(Stance.OPPOSES, Status.REPORTED, "p"),),))
    disputed = StanceMap((actor(),), (topic(),), ((MapCell(Stance.OPPOSES, Status.DISPUTED, "p"),),))
    assert grid_text(disputed).splitlines()[1].split() == ["Russia", "O!"]
    assert grid_text(plain).splitlines()[1].split() == ["Russia", "O"]
    assert _decoded(stance_map_png(plain)).tobytes() != _decoded(stance_map_png(disputed)).tobytes()


def test_no_position_is_a_question_mark() -> None:
    """A cell with no recorded position reads "?"."""
    smap = StanceMap((actor(),), (topic(),), ((None,),))
    assert grid_text(smap).splitlines()[1].split() == ["Russia", "?"]


def test_embed_references_the_attachment_and_fits() -> None:
    """The embed's image is attachment://stance-map.png; hostile names cannot break the code block."""
    smap = _map(MAP_MAX_ACTORS, MAP_MAX_TOPICS, name=HOSTILE + "```", title=HOSTILE * 3)
    embed = stance_map_embed(smap)
    assert embed.image.url == "attachment://stance-map.png"
    assert desc(embed).count("```") == 2
    assert_sendable(embed)


def test_empty_map_says_so_without_an_image() -> None:
    """With no positions at all, a short explanation and no picture."""
    embed = stance_map_embed(StanceMap((), (), ()), image=None)
    assert embed.image.url is None
    assert "nothing to map" in desc(embed)


def test_search_highlight_never_leaves_bold_open() -> None:
    """A long snippet shortened within its budget keeps every ** paired and escapes the rest."""
    snippet = "a*b " + " ".join(f"\x02word{i}\x03 filler text" for i in range(60))
    for limit in (30, 57, 100, 333):
        shown = highlighted(snippet, limit)
        assert len(shown) <= limit
        assert shown.count("**") % 2 == 0
        assert shown.startswith("a\\*b")


def test_a_topic_header_wraps_by_drawn_width_and_loses_no_word_that_fits() -> None:
    """ "Military aid and intelligence for Ukraine" fills three header lines whole (wrapped at 15
    characters it lost "Ukraine" to "…"); every line fits its cell as drawn."""
    width_of = font(13).getlength
    title = "Military aid and intelligence for Ukraine"
    lines = _wrap(title, width_of, _HEAD_W, _HEAD_LINES)
    assert " ".join(lines) == title
    assert all(width_of(line) <= _HEAD_W for line in lines)


def test_a_header_too_long_for_its_lines_ends_with_an_ellipsis_within_the_width() -> None:
    """Measured in characters here: more words than three lines hold, and a word wider than a line."""
    assert _wrap("aaa bbb ccc ddd eee", len, 7, 2) == ["aaa bbb", "ccc dd…"]
    assert _wrap("abcdefghij", len, 5, 3) == ["abcd…"]
    assert _wrap("   ", len, 5, 3) == [""]
