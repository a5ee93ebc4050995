"""preview of the commands that answer with a picture: /map and /timeline chart:true."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from tests.test_cli import bot


def _written(stdout: str) -> list[Path]:
    return [Path(p) for p in re.findall(r"written to (\S+\.png)", stdout)]


def test_preview_map_writes_the_png_to_the_path_it_prints(tmp_path: Path) -> None:
    """preview "/map" prints the grid as text and writes the picture where it says."""
    done = bot("preview", "/map", "--image-dir", str(tmp_path / "pics"), db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Stance map" in done.stdout and "Russia" in done.stdout
    (path,) = _written(done.stdout)
    assert path.parent == (tmp_path / "pics").resolve()
    with Image.open(path) as image:
        image.load()
        assert image.format == "PNG"
    assert path.stat().st_size <= 200 * 1024


def test_preview_timeline_chart_writes_one_png_per_page(tmp_path: Path) -> None:
    """preview "/timeline … chart:true" writes each page's chart; without chart it writes none."""
    args = ("--image-dir", str(tmp_path / "pics"))
    done = bot("preview", "/timeline nato-ukraine chart:true", *args, db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pages = done.stdout.count("Page ")
    assert len(_written(done.stdout)) == pages >= 2
    plain = bot("preview", "/timeline nato-ukraine", *args, db=tmp_path / "s.db", cwd=tmp_path)
    assert _written(plain.stdout) == []
