"""Item identity, keyword filters, suggestions, page info, and the schedule."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import ConfigError, load_settings
from bot.sources.identity import canonical_link, item_identity
from bot.sources.match import (
    ActorHint,
    TopicHint,
    passes_filters,
    split_keywords,
    suggest_actors,
    suggest_topic,
)
from bot.sources.page import page_info
from bot.sources.parse import FeedItem
from bot.sources.schedule import MAX_BACKOFF_SECONDS, next_due
from bot.sources.text import clean_text
from tests.sources.feeds import HTML_PAGE

WHEN = datetime(2024, 12, 3, tzinfo=UTC)


def test_canonical_link_drops_tracking() -> None:
    """Scheme/host lower-cased, utm_* and fbclid dropped, fragment dropped, other params kept."""
    assert (
        canonical_link("HTTPS://Example.ORG:443/a?utm_source=x&id=3&fbclid=z#top")
        == "https://example.org/a?id=3"
    )


def test_identity_guid_then_link_then_title() -> None:
    """An edited title keeps a guid item's identity; link identity ignores tracking; else title+date."""
    a = FeedItem("g1", "https://x.org/1", "Old", "", WHEN)
    assert item_identity(a) == item_identity(FeedItem("g1", "https://x.org/9", "New", "", WHEN))
    b = FeedItem("", "https://x.org/1?utm_medium=rss", "T", "", WHEN)
    assert item_identity(b) == item_identity(FeedItem("", "HTTPS://X.org/1", "Other", "", None))
    c = FeedItem("", "", "Same  Title", "", WHEN)
    assert item_identity(c) == item_identity(FeedItem("", "", "same title", "x", WHEN))
    assert item_identity(c) != item_identity(FeedItem("", "", "same title", "", WHEN + timedelta(days=1)))


def test_keywords_whole_words_case_insensitive() -> None:
    """Include needs a whole-word match; exclude wins; no filters pass everything."""
    inc, exc = split_keywords("Sanctions, oil embargo"), split_keywords("sport")
    assert passes_filters("New SANCTIONS announced", inc, exc)
    assert not passes_filters("Sanctionsfree zone", inc, exc)
    assert passes_filters("an Oil  Embargo looms", inc, exc)
    assert not passes_filters("sanctions on sport", inc, exc)
    assert passes_filters("anything", (), ())


def test_suggestions() -> None:
    """Actors whose names or aliases occur, in text order; the topic whose keywords occur most."""
    actors = [ActorHint("hungary", ("Hungary", "hu")), ActorHint("nato", ("NATO",)), ActorHint("eu", ("EU",))]
    assert suggest_actors("NATO and Hungary meet; Hungarian view", actors) == ["nato", "hungary"]
    topics = [TopicHint("sanctions", ("sanctions", "embargo")), TopicHint("energy", ("gas", "oil"))]
    assert suggest_topic("Oil and gas prices; sanctions", topics) == "energy"
    assert suggest_topic("nothing relevant", topics) is None


def test_page_info() -> None:
    """og:title beats <title>; article:published_time gives the date."""
    info = page_info(HTML_PAGE)
    assert info.title == "Parliament votes on the budget"
    assert info.published is not None and info.published.date().isoformat() == "2024-09-14"
    assert page_info(b"<html><head><title> Only &amp; title </title></head></html>").title == "Only & title"


def test_clean_text_cuts_at_word() -> None:
    """Text is cut at a word boundary with an ellipsis, within the limit."""
    out = clean_text("<p>alpha beta gamma delta</p>", 15)
    assert out == "alpha beta…" and len(out) <= 15


def test_backoff_doubles_to_six_hours_and_honours_retry_after() -> None:
    """Failures double the wait up to 6 h; Retry-After lengthens it; jitter stays within 10 %."""
    rng = random.Random(1)
    now = WHEN
    assert now + timedelta(seconds=810) <= next_due(now, 900, rng=rng) <= now + timedelta(seconds=990)
    two = next_due(now, 900, failures=2, rng=rng) - now
    assert timedelta(seconds=3240) <= two <= timedelta(seconds=3960)
    assert next_due(now, 900, failures=30, rng=rng) - now <= timedelta(seconds=MAX_BACKOFF_SECONDS * 1.1)
    assert next_due(now, 10, retry_after=600, rng=rng) - now >= timedelta(seconds=600)


def test_source_settings_from_environment() -> None:
    """SOURCE_* settings default to 900 s / 300 s / no allowed hosts; bad values name the setting."""
    base = {"DISCORD_TOKEN": "x" * 30}
    s = load_settings(base)
    assert (s.source_poll_seconds, s.source_min_interval_seconds, s.source_allow_hosts) == (900.0, 300.0, ())
    s = load_settings(
        base | {"SOURCE_POLL_SECONDS": "2", "SOURCE_ALLOW_HOSTS": "127.0.0.1:8080, Feeds.Local"}
    )
    assert s.source_poll_seconds == 2.0 and s.source_allow_hosts == ("127.0.0.1:8080", "feeds.local")
    with pytest.raises(ConfigError, match="SOURCE_POLL_SECONDS"):
        load_settings(base | {"SOURCE_POLL_SECONDS": "soon"})
    with pytest.raises(ConfigError, match="SOURCE_ALLOW_HOSTS"):
        load_settings(base | {"SOURCE_ALLOW_HOSTS": "host:port"})
