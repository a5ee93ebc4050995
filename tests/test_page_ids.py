"""Page button custom_ids (bot.discord_app.page_ids): every query the bot pages round-trips through
its id within Discord's 100 characters, buttons already posted still decode, and anything the bot
would not make decodes to nothing ("No such page.")."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.discord_app.page_ids import CUSTOM_ID_MAX, MAX_PAGE, TEMPLATE, AskedQuery, decode, encode, fits
from bot.domain import (
    ENTRY_ID_RE,
    SLUG_RE,
    ActorsQuery,
    BriefQuery,
    CompareQuery,
    EntryQuery,
    FuzzyDate,
    MapQuery,
    PagedQuery,
    PositionQuery,
    TimelineQuery,
    TopicsQuery,
)

slugs = st.from_regex(SLUG_RE, fullmatch=True)
entry_ids = st.from_regex(ENTRY_ID_RE, fullmatch=True)
fuzzy_dates = st.builds(
    lambda d, precision: FuzzyDate.parse(FuzzyDate(d, precision).iso()),
    st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
)
queries: st.SearchStrategy[PagedQuery] = st.one_of(
    st.builds(PositionQuery, slugs, st.none() | slugs),
    st.builds(
        TimelineQuery,
        slugs,
        st.none() | slugs,
        st.none() | fuzzy_dates,
        st.none() | fuzzy_dates,
        st.booleans(),
    ),
    st.builds(EntryQuery, entry_ids),
    st.just(ActorsQuery()),
    st.just(TopicsQuery()),
)
pages = st.integers(min_value=0, max_value=MAX_PAGE)
DAY = FuzzyDate(date(2025, 3, 17))
WIDEST: tuple[PagedQuery, ...] = (  # the longest names each layout can hold
    PositionQuery("a" * 32, "t" * 32),
    TimelineQuery("t" * 32, "a" * 32, DAY, DAY, chart=True),
    EntryQuery("e" * 64),
)


@given(queries, pages)
@example(WIDEST[0], MAX_PAGE)
@example(WIDEST[1], MAX_PAGE)
@example(WIDEST[2], MAX_PAGE)
def test_decode_inverts_encode(query: PagedQuery, page: int) -> None:
    """Whatever the bot pages, the button's id brings back the same query and page."""
    assert decode(encode(query, page)) == (query, page)


@given(queries, pages)
@example(WIDEST[0], MAX_PAGE)
@example(WIDEST[1], MAX_PAGE)
@example(WIDEST[2], MAX_PAGE)
def test_every_id_fits_discords_limit(query: PagedQuery, page: int) -> None:
    """Longest slugs, both dates at day precision and the chart flag still make an id ≤ 100 chars,
    matched by the buttons' DynamicItem template."""
    custom_id = encode(query, page)
    assert len(custom_id) <= CUSTOM_ID_MAX
    assert re.fullmatch(TEMPLATE, custom_id)
    assert fits(query)


slug_lists = st.lists(slugs, max_size=8).map(tuple)
one_page_queries: st.SearchStrategy[AskedQuery] = st.one_of(
    st.builds(BriefQuery, slugs),
    st.builds(CompareQuery, slugs, slugs, slugs),
    st.builds(MapQuery, slug_lists, slug_lists).filter(lambda q: bool(q.actors or q.topics)),
)


@given(one_page_queries)
@example(CompareQuery("t" * 30, "a" * 30, "b" * 30))  # `pg:cm:0:` + 92: exactly 100
@example(CompareQuery("t" * 30, "a" * 30, "b" * 31))
@example(MapQuery((), ("peace-talks",)))
@example(MapQuery(("russia", "nato"), ()))
def test_a_menu_option_asks_brief_compare_and_map_again_when_its_id_fits(query: AskedQuery) -> None:
    """/brief, /compare and /map answer in one page: a "Which one?" option names page 0 of the query,
    which decodes back to it whenever the id is within Discord's limit (and only then fits)."""
    custom_id = encode(query, 0)
    assert re.fullmatch(TEMPLATE, custom_id)
    assert decode(custom_id) == (query, 0)
    assert fits(query) == (len(custom_id) <= CUSTOM_ID_MAX)


def test_the_longest_timeline_id_is_exactly_at_the_limit() -> None:
    """The widest layout (two 32-char slugs, two full dates, chart, page 9999) uses all 100 chars."""
    assert len(encode(WIDEST[1], MAX_PAGE)) == CUSTOM_ID_MAX


@pytest.mark.parametrize(
    ("custom_id", "query", "page"),
    [
        ("pg:po:1:russia|", PositionQuery("russia"), 1),
        ("pg:po:0:united-states|nato-ukraine", PositionQuery("united-states", "nato-ukraine"), 0),
        ("pg:tl:2:nato-ukraine|||", TimelineQuery("nato-ukraine"), 2),
        (
            "pg:tl:1:nato-ukraine|russia|2025|2025-03-17|c",
            TimelineQuery(
                "nato-ukraine",
                "russia",
                FuzzyDate(date(2025, 1, 1), "year"),
                FuzzyDate(date(2025, 3, 17)),
                chart=True,
            ),
            1,
        ),
        (
            "pg:tl:3:peacekeepers||2024-11||c",
            TimelineQuery("peacekeepers", since=FuzzyDate(date(2024, 11, 1), "month"), chart=True),
            3,
        ),
        ("pg:en:1:ev-2025-03-01-talks", EntryQuery("ev-2025-03-01-talks"), 1),
        ("pg:ac:1:", ActorsQuery(), 1),
        ("pg:to:2:", TopicsQuery(), 2),
        ("pg:br:0:peace-talks", BriefQuery("peace-talks"), 0),
        (
            "pg:cm:0:nato-ukraine|russia|united-states",
            CompareQuery("nato-ukraine", "russia", "united-states"),
            0,
        ),
    ],
)
def test_buttons_already_posted_still_decode(custom_id: str, query: AskedQuery, page: int) -> None:
    """Ids made by the encoder before queries were typed (copied literally) name the same page,
    and the encoder still writes them the same way."""
    assert decode(custom_id) == (query, page)
    assert encode(query, page) == custom_id


@pytest.mark.parametrize(
    "custom_id",
    [
        "pg:en:0:",  # entry without its id (what an IndexError once answered)
        "pg:en:0:|x",
        "pg:en:0:a|b",
        "pg:po:0:",
        "pg:po:0:|russia",
        "pg:po:0:russia|nato|x",
        "pg:tl:3:",
        "pg:tl:0:|||",
        "pg:tl:0:|russia",
        "pg:tl:0:talks|||2025-13",  # no such month
        "pg:tl:0:talks||march||",
        "pg:tl:0:talks||||x",  # an unknown flag where the chart's goes
        "pg:tl:0:talks||||c|more",
        "pg:ac:0:russia",
        "pg:to:0:|",
        "pg:br:1:peace-talks",  # a one-page answer has no page 1
        "pg:br:0:",
        "pg:br:0:peace-talks|russia",
        "pg:cm:0:nato-ukraine|russia",
        "pg:cm:0:nato-ukraine||russia",
        "pg:cm:2:nato-ukraine|russia|ukraine",
        "pg:mp:0:",  # a map of nothing is not asked again
        "pg:mp:0:|",
        "pg:mp:0:russia",  # no boundary between the lists
        "pg:mp:0:russia||nato||peacekeepers",
        "pg:mp:1:russia|",
        "pg:zz:0:abc",  # no such view
        "pg:po:12345:russia|",  # page beyond four digits
        "pg:po:0:Russia|",
        "pg:po:-1:russia|",
        "pg:po:0:russia|:",
        "po:0:russia|",
        "",
    ],
)
def test_ids_the_bot_would_not_make_decode_to_nothing(custom_id: str) -> None:
    """A crafted or damaged id names no page: the button answers 'No such page.'"""
    assert decode(custom_id) is None


@pytest.mark.parametrize(
    "query",
    [
        PositionQuery("United States"),
        PositionQuery("russia", "a|b"),
        EntryQuery("x" * 120),
        EntryQuery("x" * 90),  # `pg:en:9999:` + 90: one character over Discord's 100
    ],
)
def test_a_query_that_would_not_round_trip_gets_no_buttons(query: PagedQuery) -> None:
    """Names that are not slugs, or too long for an id, are refused rather than encoded wrongly."""
    assert not fits(query)
