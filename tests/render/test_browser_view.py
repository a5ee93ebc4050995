"""The main messages as members see them: `preview --html` opened in headless Chromium.

Each page is laid out by a real browser at 900 px and 420 px wide; a script injected into the page
reports, after layout, the visible text and every box whose text overflows it. The test fails on raw
markdown (`**`, `\\*`), on an entry id in a list view, and on overflowing text. Without a Chromium
binary it skips, except with CI=true, where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

#: List views: they must show no entry id (ids stay in /entry's footer).
COMMANDS = {
    "brief": "/brief peace-talks",
    "timeline": "/timeline peace-talks",
    "position": "/position russia",
    "search": "/search ceasefire",
    "map": "/map",
}
WIDTHS = (900, 420)
ENTRY_ID = re.compile(r"\b(?:pos|ev)-[a-z0-9]+(?:-[a-z0-9]+)+\b")

#: Injected before </body>: after layout, writes what a reader sees and what overflows into the DOM.
PROBE = """<script>
window.addEventListener('load', () => {
  const over = [];
  for (const el of document.querySelectorAll('.msg *')) {
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 &&
        getComputedStyle(el).overflowX !== 'auto') {
      over.push(el.className + ': ' + el.textContent.slice(0, 60));
    }
    const r = el.getBoundingClientRect();
    if (r.right > document.documentElement.clientWidth + 1) {
      over.push('off-screen ' + el.className + ': ' + el.textContent.slice(0, 60));
    }
  }
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({text: document.body.innerText, overflow: over});
  document.body.appendChild(out);
});
</script>"""


def chromium() -> str:
    """The Chromium binary, or skip (fail under CI=true) with the reason."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    reason = "no chromium binary on PATH (Debian: apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


def browser(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium once (no sandbox: CI runs as root; no network beyond the file)."""
    return subprocess.run(
        [
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=3000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each main message written by `python -m bot preview … --html`, from the shipped data."""
    out = tmp_path_factory.mktemp("pages")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{out / 'store.sqlite3'}",
        "DATA_DIR": str(ROOT / "data"),
    }
    written = {}
    for key, command in COMMANDS.items():
        page = out / f"{key}.html"
        done = subprocess.run(
            [sys.executable, "-m", "bot", "preview", command, "--html", str(page), "--image-dir", str(out)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{command}: {done.stderr or done.stdout}"
        written[key] = page
    return written


def seen(binary: str, page: Path, width: int) -> dict[str, object]:
    """The page's visible text and overflowing boxes, as Chromium lays it out `width` px wide."""
    probed = page.with_name(f"{page.stem}-{width}.html")
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), "utf-8")
    done = browser(binary, f"--window-size={width},2000", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"chromium did not lay out {page.name}: {done.stderr[-500:]}"
    import html

    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", list(COMMANDS))
def test_main_messages_read_cleanly_in_a_browser(pages: dict[str, Path], key: str, width: int) -> None:
    """No raw markdown, no entry id, no overflowing text, at desktop and phone width."""
    binary = chromium()
    view = seen(binary, pages[key], width)
    text = str(view["text"])
    assert text.strip(), f"{COMMANDS[key]} shows nothing"
    raw = [m for m in ("**", "\\*", "```") if m in text]
    assert not raw, f"{COMMANDS[key]} shows raw markdown:\n{text[:800]}"
    assert not ENTRY_ID.findall(text), f"{COMMANDS[key]} shows entry ids: {ENTRY_ID.findall(text)[:3]}"
    assert view["overflow"] == [], f"{COMMANDS[key]} at {width} px overflows: {view['overflow'][:5]}"


def test_screenshot_is_a_picture(pages: dict[str, Path], tmp_path: Path) -> None:
    """The screenshot route used for the README works: a PNG of the /brief page at phone width."""
    binary = chromium()
    shot = tmp_path / "brief.png"
    browser(binary, f"--screenshot={shot}", "--window-size=420,1200", pages["brief"].as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
