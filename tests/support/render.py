"""Render helpers for tests, built on the renderer's public functions."""

from __future__ import annotations

import io
from collections.abc import Sequence

import discord
from PIL import Image

from bot.domain import Actor, Position, Topic
from bot.render import POSITIONS_PER_PAGE, positions_embed


def position_pages(
    actor: Actor, positions: Sequence[Position], topic: Topic | None = None
) -> list[discord.Embed]:
    """Every page `/position` can show for these positions, each built from its own slice as a
    page button builds it."""
    size = POSITIONS_PER_PAGE
    chunks = [positions[start : start + size] for start in range(0, len(positions), size)]
    return [
        positions_embed(actor, chunk, len(positions), number, topic)
        for number, chunk in enumerate(chunks or [positions[:0]])
    ]


def plot_colours(png: bytes) -> set[tuple[int, int, int]]:
    """The solid colours drawn in a chart's plot (the picture's top half; the legend sits at the bottom)."""
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        top = rgb.crop((0, 0, rgb.width, rgb.height // 2))
        return {colour for _, colour in top.getcolors(maxcolors=1 << 16) or []}
