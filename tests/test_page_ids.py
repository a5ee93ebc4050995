"""Page button custom_ids as a crafted click may send them: only well-formed ones reach a view."""

from __future__ import annotations

import pytest

from bot.discord_app.paging import encode, well_formed


@pytest.mark.parametrize(
    ("view", "args"), [("en", ()), ("en", ("",)), ("po", ()), ("tl", ("", "russia")), ("zz", ("a",))]
)
def test_missing_required_args_or_unknown_view_is_not_a_page(view: str, args: tuple[str, ...]) -> None:
    """`pg:en:0:` and the like (what an IndexError once answered) are refused before the view runs."""
    assert not well_formed(view, args)


def test_the_ids_the_bot_makes_are_well_formed() -> None:
    """Every view's own ids pass: entry, position with and without topic, timeline, lists."""
    for view, args in (("en", ("ev-1",)), ("po", ("russia", "")), ("tl", ("talks", "", "", "")), ("ac", ())):
        assert encode(view, 1, args).startswith("pg:")
        assert well_formed(view, args)
