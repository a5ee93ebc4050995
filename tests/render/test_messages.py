"""not_found_text, ambiguous_text and error_text: plain message contents."""

from __future__ import annotations

from bot.render import ambiguous_text, error_text, not_found_text


def test_not_found_with_suggestions() -> None:
    """The text names the kind, echoes the input, says where to look and offers suggestions in code."""
    assert (
        not_found_text("actor", "rusia", ["russia", "ukraine"])
        == "No actor matches `rusia`. See `/actors`, or try: `russia`, `ukraine`."
    )


def test_not_found_without_suggestions() -> None:
    """Without suggestions: only the next step."""
    assert not_found_text("topic", "grain", []) == "No topic matches `grain`. See `/topics`."
    assert not_found_text("entry", "ev-x", []) == "No entry matches `ev-x`. Find it with `/search`."


def test_not_found_empty_input() -> None:
    """An empty name is described, not shown as an empty code span."""
    assert not_found_text("actor", "  ", []) == "No actor matches an empty name. See `/actors`."


def test_not_found_escapes_backticks_and_mentions() -> None:
    """Backticks cannot close the code span and @everyone cannot ping."""
    text = not_found_text("thing", "`` @everyone `x`", [])
    assert text.count("`") == 2
    assert "@everyone" not in text


def test_not_found_truncates_long_input() -> None:
    """A huge input is shortened; the whole text stays within the 2000-character limit."""
    text = not_found_text("actor", "x" * 10_000, ["s" * 500] * 100)
    assert len(text) <= 2000
    assert "… and" in text


def test_not_found_collapses_newlines() -> None:
    """Multi-line input becomes one line so it cannot start a heading or quote."""
    assert "\n" not in not_found_text("actor", "a\n# heading\n> quote", ["b\nc"])


def test_error_text_quotes_reference() -> None:
    """The apology quotes the reference so admins can find it in the logs."""
    text = error_text("ab12cd")
    assert text.startswith("Sorry")
    assert "`ab12cd`" in text
    assert len(text) <= 2000


def test_error_text_reference_is_safe() -> None:
    """A strange reference cannot break out of its code span."""
    assert error_text("a`b\nc").count("`") == 2


def test_ambiguous_lists_each_candidate_and_says_how_to_choose() -> None:
    """Which topics a word named: each on its own line, slug to type and title to recognise."""
    assert ambiguous_text(
        "topic", "ukraine", [("aid", "Aid to Ukraine"), ("peacekeepers", "Peacekeepers")]
    ) == (
        "`ukraine` is in the name of 2 topics. Which one?\n"
        "• `aid` — Aid to Ukraine\n"
        "• `peacekeepers` — Peacekeepers\n"
        "Give its slug, or pick it from the list as you type. See `/topics`."
    )


def test_ambiguous_escapes_names_and_stays_within_a_message() -> None:
    """Hostile names cannot ping, format or break a line; hundreds of candidates are counted, not
    all shown, and the text still ends with how to choose."""
    hostile = [(f"s{i}", f"@everyone **{i}**\n# x `y`") for i in range(400)]
    text = ambiguous_text("actor", "@here `x`", hostile)
    assert len(text) <= 2000
    assert "@everyone" not in text and "@here" not in text
    assert "**" not in text
    assert "\n# " not in text
    assert "… and" in text
    assert text.endswith("See `/actors`.")


def test_ambiguous_with_a_menu_says_to_pick_below() -> None:
    """When a menu of the candidates comes with the reply, picking there is the first way named."""
    text = ambiguous_text("actor", "united", [("united-kingdom", "United Kingdom")], menu=True)
    assert text.endswith("Pick it below, or give its slug. See `/actors`.")
