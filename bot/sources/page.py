"""A web page's title and date for "Add to briefing": <title>, og:title, article:published_time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser

from bot.sources.text import clean_text


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a page says about itself."""

    title: str
    published: datetime | None
    description: str = ""


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self._in_title = False
        self.time_attr = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
        elif tag == "time" and a.get("datetime") and not self.time_attr:
            self.time_attr = a["datetime"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)


def parse_date(raw: str) -> datetime | None:
    """An ISO 8601 date or date-time (UTC when no offset); None when unreadable."""
    text = raw.strip().replace("Z", "+00:00")
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def page_info(body: bytes, charset: str = "utf-8") -> PageInfo:
    """Title (og:title, else <title>) and published date of an HTML page."""
    parser = _Head()
    parser.feed(body[: 512 * 1024].decode(charset or "utf-8", errors="replace"))
    parser.close()
    m = parser.meta
    title = clean_text(m.get("og:title") or m.get("twitter:title") or "".join(parser.title_parts), 200)
    raw_date = (
        m.get("article:published_time")
        or m.get("og:published_time")
        or m.get("datepublished")
        or m.get("date")
        or parser.time_attr
    )
    description = clean_text(m.get("og:description") or m.get("description") or "", 1000)
    return PageInfo(title, parse_date(raw_date) if raw_date else None, description)
