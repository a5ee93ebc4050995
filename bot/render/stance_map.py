"""The stance map: actors × topics as a PNG grid, and the embed that shows it with the grid as text.

Each cell has its stance's embed colour and a letter (for readers who cannot tell the colours
apart), "?" where no position is recorded, and ⚠ when the position is disputed. The picture is
drawn with Pillow in memory (no I/O); callers run `stance_map_png` off the event loop.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import discord

from bot.domain import MapCell, Stance, StanceMap, Status
from bot.render import hints
from bot.render.fonts import font
from bot.render.pager import make_embed
from bot.render.style import EMPTY, NEUTRAL, STANCE_COLOUR, STANCE_LABEL
from bot.render.text import ZWSP, plural

if TYPE_CHECKING:
    from PIL import ImageDraw

MAP_FILENAME = "stance-map.png"
MAP_MAX_ACTORS = 12  # the largest map: 12 actors × 10 topics
MAP_MAX_TOPICS = 10
STANCE_LETTER: dict[Stance, str] = {
    Stance.SUPPORTS: "S",
    Stance.OPPOSES: "O",
    Stance.CONDITIONAL: "C",
    Stance.AMBIGUOUS: "A",
}
NO_POSITION = "?"
DISPUTED_TEXT = "!"  # in the text grid (monospace: ⚠ has no reliable width there)
DISPUTED_MARK = "⚠"

# Layout in pixels, on Discord's dark background.
_BG = (43, 45, 49)
_FG = (242, 243, 245)
_MUTED = (148, 155, 164)
_NONE_FILL = (64, 68, 75)
_INK = (30, 31, 34)
_CELL_W, _CELL_H, _GAP = 104, 40, 3
_NAME_W = 190
_PAD = 16
_HEAD_LINES, _HEAD_LINE_H = 3, 16
_NAME_CHARS = 24
_HEAD_W = _CELL_W - 2  # pixels of a header line (a topic's title, wrapped by its drawn width)
_GRID_NAME = 17  # characters of an actor's name in the text grid


def stance_map_png(smap: StanceMap) -> bytes:
    """The map as a PNG image (a few tens of kilobytes, far under 200 KB up to 12 × 10)."""
    from PIL import Image, ImageDraw  # with the first map: a bot that draws none never loads Pillow

    cols, rows = max(1, len(smap.topics)), max(1, len(smap.actors))
    head_h = _HEAD_LINES * _HEAD_LINE_H + 10
    legend_h = 34
    width = _PAD * 2 + max(_NAME_W + cols * (_CELL_W + _GAP), _legend_width())
    height = _PAD * 2 + head_h + rows * (_CELL_H + _GAP) + legend_h
    image = Image.new("RGB", (width, height), _BG)
    draw = ImageDraw.Draw(image)
    small, name_font, letter_font, mark_font = font(13), font(14), font(18, bold=True), font(15)
    top = _PAD + head_h
    for j, topic in enumerate(smap.topics):
        x = _PAD + _NAME_W + j * (_CELL_W + _GAP)
        lines = _wrap(topic.title, small.getlength, _HEAD_W, _HEAD_LINES)
        y = top - 8 - len(lines) * _HEAD_LINE_H
        for line in lines:
            draw.text((x + _CELL_W / 2, y), line, font=small, fill=_FG, anchor="ma")
            y += _HEAD_LINE_H
    for i, actor in enumerate(smap.actors):
        y = top + i * (_CELL_H + _GAP)
        name = _clip(actor.name, _NAME_CHARS)
        draw.text((_PAD + _NAME_W - 10, y + _CELL_H / 2), name, font=name_font, fill=_FG, anchor="rm")
        for j, cell in enumerate(smap.cells[i]):
            x = _PAD + _NAME_W + j * (_CELL_W + _GAP)
            box = (x, y, x + _CELL_W, y + _CELL_H)
            centre = (x + _CELL_W / 2, y + _CELL_H / 2)
            if cell is None:
                draw.rectangle(box, fill=_NONE_FILL)
                draw.text(centre, NO_POSITION, font=letter_font, fill=_MUTED, anchor="mm")
                continue
            draw.rectangle(box, fill=_rgb(cell.stance))
            draw.text(centre, STANCE_LETTER[cell.stance], font=letter_font, fill=_INK, anchor="mm")
            if cell.status is Status.DISPUTED:
                draw.rectangle(box, outline=_FG, width=2)
                draw.text((x + _CELL_W - 6, y + 4), DISPUTED_MARK, font=mark_font, fill=_INK, anchor="ra")
    _legend(draw, _PAD, height - _PAD - legend_h + 12)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _legend_items() -> list[tuple[tuple[int, int, int], str, str]]:
    items = [(_rgb(s), STANCE_LETTER[s], STANCE_LABEL[s]) for s in Stance]
    return [*items, (_NONE_FILL, NO_POSITION, "no position")]


_DISPUTED_LABEL = f"{DISPUTED_MARK} disputed"


def _legend_width() -> int:
    small = font(13)
    labels = sum(26 + small.getlength(label) + 18 for _, _, label in _legend_items())
    return int(labels + small.getlength(_DISPUTED_LABEL)) + 4


def _legend(draw: ImageDraw.ImageDraw, x: float, y: float) -> None:
    small, letter = font(13), font(12, bold=True)
    for fill, mark, label in _legend_items():
        draw.rectangle((x, y, x + 20, y + 20), fill=fill)
        ink = _MUTED if mark == NO_POSITION else _INK
        draw.text((x + 10, y + 10), mark, font=letter, fill=ink, anchor="mm")
        draw.text((x + 26, y + 10), label, font=small, fill=_FG, anchor="lm")
        x += 26 + small.getlength(label) + 18
    draw.text((x, y + 10), _DISPUTED_LABEL, font=small, fill=_FG, anchor="lm")


def _rgb(stance: Stance) -> tuple[int, int, int]:
    return STANCE_COLOUR[stance].to_rgb()


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width_of: Callable[[str], float], width: float, lines: int) -> list[str]:
    """`text` in at most `lines` lines no wider than `width` as drawn (`width_of` measures one):
    words kept whole where they fit; what does not fit ends the last line with "…"."""
    out: list[str] = []
    for word in text.split():
        if out and width_of(f"{out[-1]} {word}") <= width:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return [_fit(line, width_of, width) for line in out] or [""]


def _fit(line: str, width_of: Callable[[str], float], width: float) -> str:
    """`line`, or as much of it as fits in `width` followed by "…"."""
    if width_of(line) <= width:
        return line
    while line and width_of(line.rstrip() + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


def cell_text(cell: MapCell | None) -> str:
    """A cell in the text grid: its letter, `!` after it if disputed, `?` if no position."""
    if cell is None:
        return NO_POSITION
    return STANCE_LETTER[cell.stance] + (DISPUTED_TEXT if cell.status is Status.DISPUTED else "")


def grid_text(smap: StanceMap) -> str:
    """The map as a monospace grid: one row per actor, topics numbered in columns, then the key."""
    head = " " * _GRID_NAME + "".join(f"{f'T{j + 1}':>4}" for j in range(len(smap.topics)))
    lines = [head.rstrip()]
    for actor, row in zip(smap.actors, smap.cells, strict=True):
        name = _plain(_clip(actor.name, _GRID_NAME - 1)).ljust(_GRID_NAME)
        lines.append(name + "".join(f"{cell_text(c):>4}" for c in row))
    key = [f"T{j + 1} {_plain(_clip(t.title, 60))}" for j, t in enumerate(smap.topics)]
    return "\n".join([*lines, "", *key])


def _plain(text: str) -> str:
    """Text for inside the code block: nothing can close it, and no mention stays live."""
    return text.replace("`", "ˋ").replace("@", f"@{ZWSP}")


LEGEND = "S supports · O opposes · C conditional · A ambiguous · ? no position · ! (⚠) disputed"


def stance_map_embed(smap: StanceMap, *, image: str | None = MAP_FILENAME) -> discord.Embed:
    """The embed around the picture: the grid as text (screen readers, the preview) and the legend."""
    title = "🗺️ Stance map"
    if not smap.actors or not smap.topics:
        description = (
            "No positions are recorded yet, so there is nothing to map. "
            f"Browse with {hints.TOPICS} or {hints.ACTORS}."
        )
        return make_embed(title=title, description=description, colour=EMPTY)
    description = (
        f"Where {plural(len(smap.actors), 'actor')} stand on {plural(len(smap.topics), 'topic')} "
        "(current positions).\n"
        f"```\n{grid_text(smap)}\n```\n{LEGEND}"
    )
    footer = "/position actor topic for a position in full, with its sources"
    embed = make_embed(title=title, description=description, colour=NEUTRAL, footer=footer)
    if image:
        embed.set_image(url=f"attachment://{image}")
    return embed
