"""The "Which one?" menu under the reply to a name that is a word of several names: each option
asks the same command again with one candidate (its value is that answer's page id)."""

from __future__ import annotations

from typing import Any

from bot.discord_app import page_ids
from bot.discord_app.paging import CHOICE_MENU_ID, choice_view
from bot.domain import BriefQuery, FuzzyDate, PositionQuery, TimelineQuery
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


def test_no_menu_where_a_click_cannot_ask_again_or_the_name_is_not_the_asked_one() -> None:
    """/brief has no page ids to carry its query; an error about another name gets no menu."""
    assert choice_view(BriefQuery("ukraine"), Ambiguous("topic", "ukraine", TOPICS)) is None
    assert choice_view(PositionQuery("russia", "ukraine"), Ambiguous("actor", "ukraine", TOPICS)) is None


def test_at_most_25_options_and_none_that_would_not_fit_a_custom_id() -> None:
    """A select holds 25 options; a candidate whose page id would pass 100 characters is left out."""
    many = tuple((f"t{i}", f"Topic {i}") for i in range(40))
    view = choice_view(TimelineQuery("x"), Ambiguous("topic", "x", many))
    assert view is not None and len(_menu(view)["options"]) == 25
    too_long = (("a" * 120, "Long"), ("short", "Short"))
    view = choice_view(TimelineQuery("x"), Ambiguous("topic", "x", too_long))
    assert view is not None
    assert [o["label"] for o in _menu(view)["options"]] == ["Short (short)"]
