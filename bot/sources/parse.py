"""Parsing feeds: RSS 2.0, RSS 1.0, Atom (feedparser) and JSON Feed (by hand; feedparser lacks it).

XML with entity declarations or external references is refused before feedparser sees it
(defusedxml), so billion-laughs and external-entity documents cannot expand.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from bot.sources.text import clean_text


class NotAFeed(Exception):
    """The document is not a feed we read; the message says why."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item as the feed gives it, text cleaned of HTML."""

    guid: str
    link: str
    title: str
    summary: str
    published: datetime | None
    precision: str = "day"  # day | month | year


@dataclass(slots=True)
class ParsedFeed:
    """A feed's title, its items, and the reasons malformed items were skipped."""

    title: str
    items: list[FeedItem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        """Count one item skipped for `reason`."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL)


def _refuse_entities(body: bytes) -> None:
    try:
        defusedxml.ElementTree.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise NotAFeed("the XML declares entities or external references; refused for safety") from None
    except (ParseError, ValueError):
        return  # malformed XML: feedparser may still read it (a "bozo" feed)


def parse_feed(body: bytes, content_type: str = "") -> ParsedFeed:
    """Read any supported feed dialect; NotAFeed when the document is none of them."""
    stripped = body.lstrip()
    if "json" in content_type or stripped[:1] == b"{":
        return _parse_json_feed(body)
    if _HTML_START.match(body[:4096]):
        raise NotAFeed("the URL serves an HTML page, not a feed (look for its RSS or Atom link)")
    _refuse_entities(body)
    import feedparser  # with the first feed read: a bot that watches none never loads it

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    version = parsed.get("version", "")
    if not version:
        raise NotAFeed("the document is not an RSS, Atom or JSON feed")
    feed = ParsedFeed(title=clean_text(parsed.feed.get("title", ""), 200))
    for entry in parsed.entries:
        _add_entry(feed, entry)
    return feed


def _struct_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
    return None


def _add_entry(feed: ParsedFeed, entry: Any) -> None:
    title = clean_text(entry.get("title", ""), 200)
    summary = clean_text(entry.get("summary", "") or _content(entry), 1000)
    link = str(entry.get("link", "") or "").strip()
    guid = str(entry.get("id", "") or "").strip()
    if not title and not summary:
        feed.skip("no title or summary")
        return
    if link and not link.lower().startswith(("http://", "https://")):
        link = ""
    feed.items.append(FeedItem(guid[:500], link[:500], title or summary[:200], summary, _struct_date(entry)))


def _content(entry: Any) -> str:
    for part in entry.get("content", []) or []:
        value = part.get("value") if isinstance(part, dict) else None
        if value:
            return str(value)
    return ""


def _parse_json_date(raw: object) -> tuple[datetime | None, str]:
    if not isinstance(raw, str) or not raw.strip():
        return None, "day"
    text = raw.strip()
    for fmt, precision in (("%Y-%m", "month"), ("%Y", "year")):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC), precision
        except ValueError:
            pass
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None, "day"
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC), "day"


def _parse_json_feed(body: bytes) -> ParsedFeed:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise NotAFeed("the document is neither valid JSON nor an XML feed") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise NotAFeed("the JSON is not a JSON Feed (no jsonfeed.org version)")
    feed = ParsedFeed(title=clean_text(str(doc.get("title", "")), 200))
    items = doc.get("items")
    if not isinstance(items, list):
        raise NotAFeed("the JSON Feed has no items list")
    for raw in items:
        if not isinstance(raw, dict):
            feed.skip("item is not an object")
            continue
        title = clean_text(str(raw.get("title") or ""), 200)
        summary = clean_text(
            str(raw.get("summary") or raw.get("content_text") or raw.get("content_html") or ""), 1000
        )
        if not title and not summary:
            feed.skip("no title or summary")
            continue
        link = str(raw.get("url") or "").strip()
        if link and not link.lower().startswith(("http://", "https://")):
            link = ""
        when, precision = _parse_json_date(raw.get("date_published") or raw.get("date_modified"))
        feed.items.append(
            FeedItem(
                str(raw.get("id") or "")[:500], link[:500], title or summary[:200], summary, when, precision
            )
        )
    return feed
