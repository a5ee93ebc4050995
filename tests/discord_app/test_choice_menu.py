"""The "Which one?" menu under the reply to a name that is a word of several names: each option
asks the same command again with one candidate (its value is that answer's page id)."""

from __future__ import annotations

from typing import Any

from bot.discord_app import page_ids
from bot.discord_app.paging import CHOICE_MENU_ID, choice_view
from bot.domain import BriefQuery, CompareQuery, FuzzyDate, MapQuery, PositionQuery, TimelineQuery
from bot.errors import Ambiguous

TOPICS = (("military-aid", "Military aid"), ("peacekeepers", "Foreign troops"))


def _menu(view: Any) -> dict[str, Any]:
    (row,) = view.to_components()
    (menu,) = row["components"]
    assert menu["custom_id"] == CHOICE_MENU_ID
    return dict(menu)


async def test_each_option_asks_the_command_again_with_one_candidate_and_keeps_the_other_options() -> None:
    """/timeline topic:ukraine since:2025: each option is that topic's timeline from 2025, page 1."""
    asked = TimelineQuery("ukraine", None, FuzzyDate.parse("2025"), None, True)
    view = choice_view(asked, Ambiguous("topic", "ukraine", TOPICS))
    assert view is not None and view.is_finished()  # sent as components only, dispatched by custom_id
    options = _menu(view)["options"]
    assert [o["label"] for o in options] == ["Military aid (military-aid)", "Foreign troops (peacekeepers)"]
    decoded = [page_ids.decode(o["value"]) for o in options]
    assert decoded == [
        (TimelineQuery("military-aid", None, FuzzyDate.parse("2025"), None, True), 0),
        (TimelineQuery("peacekeepers", None, FuzzyDate.parse("2025"), None, True), 0),
    ]


def test_the_ambiguous_option_is_the_one_replaced() -> None:
    """/position actor:united topic:nato-ukraine: the actor is replaced, the topic kept."""
    view = choice_view(
        PositionQuery("united", "nato-ukraine"),
        Ambiguous(
            "actor", "united", (("united-kingdom", "United Kingdom"), ("united-states", "United States"))
        ),
    )
    assert view is not None
    values = [page_ids.decode(o["value"]) for o in _menu(view)["options"]]
    assert values == [
        (PositionQuery("united-kingdom", "nato-ukraine"), 0),
        (PositionQuery("united-states", "nato-ukraine"), 0),
    ]


UNITED = (("united-kingdom", "United Kingdom"), ("united-states", "United States"))


def _asked_again(view: Any) -> list[Any]:
    assert view is not None
    return [page_ids.decode(o["value"]) for o in _menu(view)["options"]]


def test_brief_asks_its_topic_again() -> None:
    """/brief topic:ukraine: each option is that topic's brief."""
    view = choice_view(BriefQuery("ukraine"), Ambiguous("topic", "ukraine", TOPICS))
    assert _asked_again(view) == [(BriefQuery("military-aid"), 0), (BriefQuery("peacekeepers"), 0)]


def test_compare_replaces_the_actor_or_topic_that_was_the_word() -> None:
    """/compare: the second actor, when it was the word, is replaced and the first kept; the topic
    likewise; of two actors given the same word the first is replaced (the answer asks again)."""
    asked = CompareQuery("nato-ukraine", "russia", "united")
    assert _asked_again(choice_view(asked, Ambiguous("actor", "united", UNITED))) == [
        (CompareQuery("nato-ukraine", "russia", "united-kingdom"), 0),
        (CompareQuery("nato-ukraine", "russia", "united-states"), 0),
    ]
    by_topic = choice_view(CompareQuery("ukraine", "russia", "nato"), Ambiguous("topic", "ukraine", TOPICS))
    assert _asked_again(by_topic) == [
        (CompareQuery("military-aid", "russia", "nato"), 0),
        (CompareQuery("peacekeepers", "russia", "nato"), 0),
    ]
    both = choice_view(CompareQuery("nato-ukraine", "united", "united"), Ambiguous("actor", "united", UNITED))
    assert _asked_again(both)[0] == (CompareQuery("nato-ukraine", "united-kingdom", "united"), 0)


def test_map_replaces_the_name_in_its_list() -> None:
    """/map topics:"ukraine, nato-ukraine" actors:russia: the word's place in the topics takes
    each candidate, the other names and the actors kept."""
    asked = MapQuery(("russia",), ("ukraine", "nato-ukraine"))
    assert _asked_again(choice_view(asked, Ambiguous("topic", "ukraine", TOPICS))) == [
        (MapQuery(("russia",), ("military-aid", "nato-ukraine")), 0),
        (MapQuery(("russia",), ("peacekeepers", "nato-ukraine")), 0),
    ]
    by_actor = choice_view(MapQuery(("nato", "united"), ()), Ambiguous("actor", "united", UNITED))
    assert _asked_again(by_actor) == [
        (MapQuery(("nato", "united-kingdom"), ()), 0),
        (MapQuery(("nato", "united-states"), ()), 0),
    ]


def test_no_menu_where_a_click_cannot_ask_again_or_the_name_is_not_the_asked_one() -> None:
    """A /map whose other names are not slugs has no id to carry it; an error about another name
    (or a name of the other kind) gets no menu."""
    assert choice_view(MapQuery((), ("ukraine", "NATO")), Ambiguous("topic", "ukraine", TOPICS)) is None
    assert choice_view(MapQuery(("ukraine",), ()), Ambiguous("topic", "ukraine", TOPICS)) is None
    assert choice_view(PositionQuery("russia", "ukraine"), Ambiguous("actor", "ukraine", TOPICS)) is None
    assert (
        choice_view(CompareQuery("ukraine", "russia", "nato"), Ambiguous("actor", "ukraine", TOPICS)) is None
    )
    assert choice_view(BriefQuery("peace"), Ambiguous("topic", "ukraine", TOPICS)) is None


def test_at_most_25_options_and_none_that_would_not_fit_a_custom_id() -> None:
    """A select holds 25 options; a candidate whose page id would pass 100 characters is left out."""
    many = tuple((f"t{i}", f"Topic {i}") for i in range(40))
    view = choice_view(TimelineQuery("x"), Ambiguous("topic", "x", many))
    assert view is not None and len(_menu(view)["options"]) == 25
    too_long = (("a" * 120, "Long"), ("short", "Short"))
    view = choice_view(TimelineQuery("x"), Ambiguous("topic", "x", too_long))
    assert view is not None
    assert [o["label"] for o in _menu(view)["options"]] == ["Short (short)"]
