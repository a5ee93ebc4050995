"""Every renderer, fed arbitrary text of any length, returns embeds Discord will accept."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import Briefing, EntryDetail, Event, PageOf, Position, SearchHit, Stance, Status
from bot.render import (
    actors_pages,
    ambiguous_text,
    brief_embed,
    compare_embed,
    entry_pages,
    not_found_text,
    search_embed,
    timeline_embed,
    topics_pages,
)
from tests.render.builders import actor, assert_sendable, day, event, found, position, source, topic
from tests.support.render import position_pages

PIECES = [
    *"a Z\n\t`*_~|>#-[]()<>@:\\/.",
    "⚠️",
    "👨‍👩‍👧",
    "\u200b",
    "@everyone",
    "](javascript:x)",
    "https://x.io/a_b",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=60).map("".join) | st.text(max_size=50)
LONG = st.builds(lambda t, n: (t or "x") * n, TEXT, st.integers(min_value=1, max_value=400))
ANY = TEXT | LONG
URL = st.sampled_from(
    ["https://a.io/x", "javascript:alert(1)", "https://a.io/" + "y" * 600, "", "http://a.io/(x)"]
)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def positions(draw: st.DrawFn) -> Position:
    """A position whose every text is drawn from ANY."""
    return position(
        draw(st.sampled_from(["p1", "a`b", "x" * 64])),
        who=actor(name=draw(ANY), aliases=(draw(ANY),)),
        about=topic(title=draw(ANY), summary=draw(ANY)),
        stance=draw(st.sampled_from(list(Stance))),
        summary=draw(ANY),
        status=draw(st.sampled_from(list(Status))),
        status_note=draw(ANY),
        key_points=(draw(ANY), draw(ANY)),
        quote=draw(ANY),
        speaker=draw(ANY),
        sources=[
            source(1, publisher=draw(ANY), title=draw(ANY), url=draw(URL))
            for _ in range(draw(st.integers(1, 40)))
        ],
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    """An event whose every text is drawn from ANY."""
    return event(
        title=draw(ANY),
        summary=draw(ANY),
        status=draw(st.sampled_from(list(Status))),
        status_note=draw(ANY),
        actors=(actor(name=draw(ANY)),),
        sources=[source(1, publisher=draw(ANY), url=draw(URL))],
    )


@FUZZ
@given(st.lists(positions(), max_size=8), ANY)
def test_position_views_always_sendable(items: list[Position], text: str) -> None:
    """position_pages, compare_embed, brief_embed and entry_pages accept any positions."""
    who = actor(name=text)
    assert_sendable(position_pages(who, items))
    assert_sendable(position_pages(who, items[:1], topic(title=text)))
    first = items[0] if items else None
    assert_sendable(compare_embed(topic(title=text), who, first, who, None))
    assert_sendable(brief_embed(Briefing(topic(title=text, summary=text), tuple(items), (), len(items))))
    if first is not None:
        assert_sendable(entry_pages(EntryDetail(first, tuple(items))))


@FUZZ
@given(st.lists(events(), max_size=10), ANY)
def test_event_views_always_sendable(items: list[Event], text: str) -> None:
    """timeline_embed and entry_pages accept any events."""
    page = PageOf(tuple(items), 0, 8, len(items))
    assert_sendable(timeline_embed(topic(title=text), page, actor(name=text), day("2020"), day("2021-02")))
    for item in items[:2]:
        assert_sendable(entry_pages(EntryDetail(item)))


@FUZZ
@given(ANY, st.lists(st.tuples(ANY, ANY), max_size=15))
def test_search_and_lists_always_sendable(query: str, rows: list[tuple[str, str]]) -> None:
    """search_embed, actors_pages, topics_pages, not_found_text and ambiguous_text accept any text."""
    hits = [SearchHit("id", "event", title, snippet, day("2024"), Status.DISPUTED) for title, snippet in rows]
    assert_sendable(search_embed(query, found(hits)))
    assert_sendable(actors_pages([actor(name=a, aliases=(b,)) for a, b in rows]))
    assert_sendable(topics_pages([topic(title=a, summary=b) for a, b in rows]))
    for message in (not_found_text(query, query, [a for a, _ in rows]), ambiguous_text(query, query, rows)):
        assert len(message) <= 2000
        assert "@everyone" not in message
