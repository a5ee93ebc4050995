"""Regenerate the README's screenshots (docs/brief.png, docs/map.png, docs/digest.png).

`/brief` and `/map` come from `python -m bot preview … --html` on the shipped data; the digest is
rendered from a few sample changes (a digest needs a subscription and a window, which preview has
not). Each page is drawn by headless Chromium (Debian's `chromium`, with `fonts-noto-color-emoji` for
the emoji) at 560 px wide.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: (file, command, window height): heights crop each picture to its message.
SHOTS = (("brief", "/brief peace-talks", 1000), ("map", "/map", 760))


def digest_html() -> str:
    """A sample daily digest page, as members would see it."""
    sys.path.insert(0, str(ROOT))
    from bot.digest_model.types import Change, DigestContent, FieldChange, Subscription
    from bot.domain import FuzzyDate
    from bot.render.digest import digest_choices, digest_pages
    from bot.render.webpage import answer_html

    at = datetime(2025, 3, 19, 9, 0, tzinfo=UTC)
    sub = Subscription(1, 5, 7, ("peace-talks",), "daily", "09:00", "UTC", 0, True, True, "", at, at)
    changes = (
        Change(
            "pos-russia-peace-talks-2025-03-18",
            "position",
            "new",
            "Russia on Peace talks",
            ("peace-talks",),
            at,
            "https://www.kremlin.ru/events/president/news/76477",
            date=FuzzyDate(date(2025, 3, 18)),
            stance="conditional",
            previous_stance="opposes",
            gist="Agreed a 30-day halt on energy strikes, not a full ceasefire; wants foreign military aid to end.",
        ),
        Change(
            "pos-ukraine-peace-talks-2025-03-11",
            "position",
            "updated",
            "Ukraine on Peace talks",
            ("peace-talks",),
            at,
            "https://www.president.gov.ua/en/news/",
            fields=(FieldChange("stance", "opposes", "supports"),),
            gist="Accepts the US proposal of an immediate 30-day ceasefire, subject to Russia's agreement.",
        ),
        Change(
            "ev-2025-03-11-jeddah-talks",
            "event",
            "new",
            "US–Ukraine talks in Jeddah",
            ("peace-talks",),
            at,
            "https://www.state.gov/",
            date=FuzzyDate(date(2025, 3, 11)),
        ),
        Change(
            "ev-2025-03-16-claim",
            "event",
            "corrected",
            "Reported agreement on a prisoner exchange",
            ("peace-talks",),
            at,
            "https://example.org/report",
            fields=(FieldChange("status", "reported", "disputed"), FieldChange("status_note")),
            disputed=True,
            correction="Moscow denied the figures the next day; the exchange took place with 175 on each side.",
        ),
    )
    content = DigestContent(sub, changes, datetime(2025, 3, 18, 9, 0, tzinfo=UTC), at)
    return answer_html([digest_pages(content)], menus=[digest_choices(content)], title="digest")


def shoot(chromium: str, page: Path, png: Path, height: int) -> None:
    subprocess.run(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--virtual-time-budget=3000",
            f"--window-size=560,{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    print(f"{png.relative_to(ROOT)}: {png.stat().st_size // 1024} KB")


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("needs Debian's chromium: apt-get install chromium", file=sys.stderr)
        return 1
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env_db = f"sqlite+aiosqlite:///{Path(tmp) / 'store.sqlite3'}"
        for name, command, height in SHOTS:
            page = Path(tmp) / f"{name}.html"
            subprocess.run(
                [sys.executable, "-m", "bot", "preview", command, "--html", str(page), "--image-dir", tmp],
                check=True,
                capture_output=True,
                cwd=ROOT,
                timeout=120,
                env={"PATH": "/usr/bin:/bin", "DATABASE_URL": env_db},
            )
            shoot(chromium, page, DOCS / f"{name}.png", height)
        page = Path(tmp) / "digest.html"
        page.write_text(digest_html(), encoding="utf-8")
        shoot(chromium, page, DOCS / "digest.png", 580)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
