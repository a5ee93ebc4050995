"""The font every picture uses: DejaVu Sans as shipped inside matplotlib (Latin, Cyrillic, ⚠).

Taken from the installed package rather than the system, so an image renders the same on
every machine; located without importing matplotlib (whose import alone costs ~0.3 s).
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


@cache
def font_path(name: str = REGULAR) -> Path:
    """The path of one of matplotlib's bundled DejaVu fonts."""
    spec = find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: it ships the font the pictures use")
    path = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / name
    if not path.is_file():
        raise RuntimeError(f"font {name} not found in matplotlib's data ({path})")
    return path


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (or Bold) at `size` pixels, loaded once per size."""
    from PIL import ImageFont  # with the first picture: a bot that draws none never loads Pillow

    return ImageFont.truetype(str(font_path(BOLD if bold else REGULAR)), size)
