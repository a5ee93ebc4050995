"""timeline_embed: one page of a topic's events."""

from __future__ import annotations

from bot.domain import Event, PageOf, Status
from bot.render import TIMELINE_PAGE_SIZE, embed_to_text, timeline_embed
from tests.render.builders import (
    HOSTILE,
    actor,
    assert_sendable,
    day,
    desc,
    event,
    foot,
    fval,
    huge_event,
    source,
    texts,
    topic,
)


def _page(events: list[Event], number: int = 0, total: int | None = None) -> PageOf[Event]:
    return PageOf(tuple(events), number, TIMELINE_PAGE_SIZE, len(events) if total is None else total)


def _events() -> list[Event]:
    return [
        event("ev-a", title="Talks announced", when="2025-03"),
        event("ev-b", title="Jeddah talks", when="2025-03-11", actors=(actor(), actor("ukraine", "Ukraine"))),
        event("ev-c", title="Deal signed", when="2026", status=Status.VERIFIED),
    ]


def test_page_size_is_small_enough_for_worst_case_fields() -> None:
    """The page size the store is asked for keeps each event readable (not 25 squeezed fields)."""
    assert 1 <= TIMELINE_PAGE_SIZE <= 10


def test_title_names_the_topic() -> None:
    """The title says which topic's timeline this is."""
    assert timeline_embed(topic(), _page(_events())).title == "🗓️ Timeline — Ceasefire talks"


def test_events_in_given_order_with_dates_at_precision() -> None:
    """Each event is a field headed by its date at its precision, in the store's order."""
    embed = timeline_embed(topic(), _page(_events()))
    assert [(f.name or "") for f in embed.fields] == [
        "Mar 2025 · Talks announced",
        "11 Mar 2025 · Jeddah talks",
        "2026 · Deal signed",
    ]


def test_event_shows_summary_then_one_metadata_line() -> None:
    """An event's field: its summary, then one line of status · actors · sources as linked names;
    no id and no second date (the date is in the field's name)."""
    value = fval(timeline_embed(topic(), _page(_events())), 1)
    assert (
        value
        == "Delegations meet in Jeddah.\n📰 Reported · 👥 Russia, Ukraine · [AP](https://news.example/2)"
    )


def test_summaries_are_cut_at_a_word_within_200_characters() -> None:
    """A long summary shows at most 200 characters, ending at a word with an ellipsis."""
    long = event(summary="ceasefire " * 60)
    summary = fval(timeline_embed(topic(), _page([long])), 0).split("\n")[0]
    assert len(summary) <= 200 and summary.endswith("ceasefire…")


def test_footer_shows_page_and_total() -> None:
    """The footer reads `Page 2/5 · 43 events`."""
    embed = timeline_embed(topic(), _page(_events(), number=1, total=43))
    assert foot(embed).startswith("Page 2/9 · 43 events")


def test_filters_are_shown() -> None:
    """Actor and date filters appear in the description, dates at their precision."""
    embed = timeline_embed(topic(), _page(_events()), actor(), day("2025-01"), day("2026"))
    assert desc(embed).startswith("Filtered: 👤 **Russia** · from Jan 2025 · until 2026")


def test_actor_filter_hides_redundant_actor_line() -> None:
    """When filtered to one actor, events do not repeat the actor list."""
    embed = timeline_embed(topic(), _page(_events()), actor())
    assert "👥" not in fval(embed, 1)


def test_disputed_event_is_marked() -> None:
    """A disputed event's heading starts with the flag; its correction is on a line of its own."""
    e = event(status=Status.DISPUTED, status_note="Both sides deny it happened")
    field = timeline_embed(topic(), _page([e])).fields[0]
    assert (field.name or "").startswith("⚠️ ")
    assert (field.value or "").startswith("⚠️ **Disputed** — Both sides deny it happened\n")


def test_empty_timeline_says_so() -> None:
    """No events gives a clear sentence and `Page 1/1 · 0 events`."""
    embed = timeline_embed(topic(), _page([]))
    assert desc(embed) == "No events recorded for this topic yet."
    assert foot(embed) == "Page 1/1 · 0 events"


def test_empty_filtered_timeline_blames_filters() -> None:
    """With filters set, an empty page says no events match them."""
    embed = timeline_embed(topic(), _page([]), since=day("2030"))
    assert "No events match these filters." in desc(embed)


def test_hundred_events_every_page_fits_and_shows_all_its_events() -> None:
    """100 maximal events paged by TIMELINE_PAGE_SIZE: every page fits and shows each of its events."""
    events = [huge_event(i) for i in range(100)]
    size = TIMELINE_PAGE_SIZE
    for number in range(-(-100 // size)):
        items = events[number * size : (number + 1) * size]
        embed = timeline_embed(topic(title="t" * 500), PageOf(tuple(items), number, size, 100))
        assert_sendable(embed)
        assert len(embed.fields) == len(items)
        assert all(e.title[:20] in texts(embed) for e in items)


def test_oversized_page_lists_the_rest_as_more() -> None:
    """A page holding more events than can be shown says how many are not shown."""
    events = [huge_event(i) for i in range(30)]
    embed = timeline_embed(topic(), PageOf(tuple(events), 0, 30, 30))
    assert_sendable(embed)
    shown = len(embed.fields)
    assert f"… and {30 - shown} more events on this page" in desc(embed)


def test_filters_and_title_at_max_length_still_fit() -> None:
    """500-char actor name and topic title with full events still fit."""
    embed = timeline_embed(
        topic(title="T" * 500),
        PageOf(tuple(huge_event(i) for i in range(TIMELINE_PAGE_SIZE)), 0, TIMELINE_PAGE_SIZE, 100),
        actor(name="N " * 250),
        day("2020"),
        day("2025-02-03"),
    )
    assert_sendable(embed)


def test_short_events_are_not_truncated_next_to_long_ones() -> None:
    """Budget goes to where it is needed: a short event stays whole beside huge ones."""
    small = event("ev-small", summary="Short and complete.")
    embed = timeline_embed(topic(), _page([huge_event(1), small, huge_event(2)]))
    assert "Short and complete." in fval(embed, 1)


def test_hostile_text_cannot_break_markup() -> None:
    """Markdown, mentions and javascript: links in event text are shown inertly."""
    e = event(
        title=HOSTILE,
        summary=HOSTILE,
        status=Status.DISPUTED,
        status_note=HOSTILE,
        actors=(actor(name=HOSTILE),),
        sources=[source(1, publisher=HOSTILE, url="javascript:alert(1)")],
    )
    assert_sendable(timeline_embed(topic(title=HOSTILE), _page([e]), actor(name=HOSTILE)))


def test_plain_text_preview() -> None:
    """The preview shows the heading of each event and the footer."""
    text = embed_to_text(timeline_embed(topic(), _page(_events(), total=3)))
    assert "11 Mar 2025 · Jeddah talks" in text
    assert "Page 1/1 · 3 events" in text
