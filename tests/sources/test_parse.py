"""Parsing every dialect; hostile and non-feed documents refused with a reason."""

from __future__ import annotations

import pytest

from bot.sources.parse import NotAFeed, parse_feed
from tests.sources.feeds import ATOM, BILLION_LAUGHS, EXTERNAL_ENTITY, HTML_PAGE, JSONFEED, RSS1, RSS2


def test_rss2_items_cleaned() -> None:
    """RSS 2.0 items come with guid, link, plain-text title/summary and date."""
    feed = parse_feed(RSS2)
    assert feed.title == "Ministry press releases"
    first = feed.items[0]
    assert (first.guid, first.title) == ("mfa-1", "Hungary & NATO agree on sanctions")
    assert first.summary == "Hungary met NATO on sanctions."
    assert first.published is not None and first.published.date().isoformat() == "2024-12-03"


def test_rss1_and_atom() -> None:
    """RSS 1.0 (RDF) and Atom are read by the same call."""
    rdf = parse_feed(RSS1)
    assert rdf.title == "RDF wire" and rdf.items[0].title == "Summit opens"
    atom = parse_feed(ATOM)
    assert atom.items[0].guid == "urn:wire:1" and atom.items[0].link == "https://example.org/w/1"


def test_json_feed_skips_malformed_items_with_reasons() -> None:
    """JSON Feed items are read; malformed ones are counted by reason, month dates keep their precision."""
    feed = parse_feed(JSONFEED, "application/feed+json")
    assert [i.guid for i in feed.items] == ["j1", "j2"]
    assert feed.items[1].precision == "month" and feed.items[1].title == "No title here"
    assert feed.skipped == {"item is not an object": 1, "no title or summary": 1}


@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_documents_refused(doc: bytes) -> None:
    """Billion-laughs and external-entity documents are refused before any expansion."""
    with pytest.raises(NotAFeed, match="entities"):
        parse_feed(doc)


def test_html_page_is_not_a_feed() -> None:
    """An HTML page at a feed URL is refused with a hint."""
    with pytest.raises(NotAFeed, match="HTML page"):
        parse_feed(HTML_PAGE)


def test_plain_json_is_not_a_feed() -> None:
    """JSON that is not a JSON Feed is refused."""
    with pytest.raises(NotAFeed, match="not a JSON Feed"):
        parse_feed(b'{"a": 1}')
