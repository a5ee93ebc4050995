"""Item text: HTML removed, entities decoded, whitespace collapsed, cut at a word to a limit."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_SPACE = re.compile(r"\s+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("p", "br", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def clean_text(raw: str, limit: int) -> str:
    """Plain text from `raw` (HTML or not), at most `limit` characters, cut at a word with "…"."""
    if "<" in raw or "&" in raw:
        parser = _Text()
        parser.feed(raw)
        parser.close()
        raw = html.unescape("".join(parser.parts))
    text = _SPACE.sub(" ", raw).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"
