"""truncate() and the escaping/link helpers in bot.render.text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import FuzzyDate
from bot.render.text import _ATOMIC, code, cut_point, escape, inline, link, safe_url, split_text, truncate

MARKUP = st.lists(
    st.sampled_from([*"ab c[]()`\\*_~|<>@\n:/.", "https://x.io/a", "[L](https://x.io)", "`id`", "⚠️"])
).map("".join)


def test_short_text_is_unchanged() -> None:
    """Text within the limit comes back exactly as given."""
    assert truncate("hello world", 11) == "hello world"


def test_cuts_at_word_boundary_with_ellipsis() -> None:
    """A long sentence is cut after a whole word and ends with an ellipsis."""
    assert truncate("the quick brown fox jumps", 16) == "the quick brown…"


def test_never_exceeds_limit_even_when_tiny() -> None:
    """Limits of 0, 1 and 2 give '', '…' and at most two characters."""
    assert truncate("abcdef", 0) == ""
    assert truncate("abcdef", 1) == "…"
    assert len(truncate("abcdef", 2)) <= 2


def test_negative_limit_gives_empty_string() -> None:
    """A negative limit is treated as no room at all."""
    assert truncate("abc", -5) == ""


def test_one_long_word_is_cut_mid_word() -> None:
    """Without any space to cut at, the word itself is cut."""
    assert truncate("x" * 50, 10) == "x" * 9 + "…"


def test_does_not_split_markdown_link() -> None:
    """A masked link crossing the limit is dropped whole, never left half-open."""
    text = "see [Reuters World](https://reuters.com/world/x) for more"
    result = truncate(text, 30)
    assert result == "see…"


def test_keeps_link_that_fits_whole() -> None:
    """A link ending before the limit survives intact."""
    text = "[AP](https://ap.org/x) and then a very long tail of words"
    assert truncate(text, 30).startswith("[AP](https://ap.org/x)")


def test_does_not_split_code_span() -> None:
    """An inline code span is kept whole or dropped whole."""
    result = truncate("run `entry-with-a-long-identifier` now please", 20)
    assert result == "run…"


def test_does_not_split_backslash_escape() -> None:
    """A cut never leaves a lone backslash before the ellipsis."""
    text = "a" * 8 + "\\*" + "b" * 20
    assert not truncate(text, 10).endswith("\\…")


def test_trailing_punctuation_is_dropped_before_ellipsis() -> None:
    """`word, …` becomes `word…`."""
    assert truncate("alpha, beta gamma delta", 12) == "alpha, beta…"
    assert truncate("alpha: beta gamma", 8) == "alpha…"


def test_custom_ellipsis() -> None:
    """A caller may choose its own ellipsis."""
    assert truncate("one two three four", 12, ellipsis=" [more]") == "one [more]"


@given(MARKUP, st.integers(min_value=0, max_value=60))
def test_truncate_never_exceeds_limit(text: str, limit: int) -> None:
    """For any text and limit, the result fits."""
    assert len(truncate(text, limit)) <= max(limit, 0)


@given(MARKUP, st.integers(min_value=2, max_value=60))
def test_truncate_keeps_links_whole(text: str, limit: int) -> None:
    """Any masked link in the result was a whole link in the input."""
    result = truncate(escape(text) + " [Src](https://x.io/p)", limit)
    for match in re.finditer(r"(?<!\\)\[[^\]]*\]\(([^)]*)", result):
        assert result[match.end() : match.end() + 1] == ")"


def _cut_point_by_definition(text: str, room: int) -> int:
    """cut_point spelt out position by position: the last space in (room // 2, cut] outside every
    link, code span, escape or URL, where cut is room or the start of the token around it."""
    if room >= len(text):
        return len(text)
    if room <= 0:
        return 0
    spans = [m.span() for m in _ATOMIC.finditer(text)]

    def inside(pos: int) -> tuple[int, int] | None:
        return next(((a, b) for a, b in spans if a < pos < b), None)

    cut = token[0] if (token := inside(room)) else room
    spaces = [p for p in range(cut, room // 2, -1) if text[p].isspace() and not inside(p)]
    return spaces[0] if spaces else cut


@given(MARKUP, st.integers(min_value=-2, max_value=70))
def test_cut_point_is_the_last_safe_space(text: str, room: int) -> None:
    """The cut is the last space in the second half outside any token, else the token's start."""
    assert cut_point(text, room) == _cut_point_by_definition(text, room)


def test_cut_point_skips_a_link_to_the_space_before_it() -> None:
    """A space inside a link's label is no place to cut: the cut goes back to the space before
    the link, or, with no space in the second half, to the link's start."""
    text = "alpha beta gamma delta [Reuters World](https://r.com/x) tail"
    before = text.index(" [")
    assert cut_point(text, text.index("World") + 2) == before
    assert cut_point(text, len(text) - 2) == len(text) - len(" tail")
    assert cut_point("ab [Reuters World Desk](https://r.com/x) tail", 30) == len("ab ")
    after = "x" * 20 + "[Reuters World Desk](https://r.com/x)andmorewords tail"
    assert cut_point(after, 65) == 65  # the label's spaces are in the second half, and no place


def test_cut_point_keeps_at_least_half() -> None:
    """A space in the first half is not used: the word at the limit is cut instead."""
    assert cut_point("aaaaa bbbbbbbbbbb", 10) == 10
    assert cut_point("aaaaaa bbbbbbbbbb", 10) == 6


def test_split_text_keeps_every_word() -> None:
    """Splitting then rejoining loses nothing but whitespace at the cuts."""
    text = " ".join(f"w{i}" for i in range(500))
    pieces = split_text(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_split_text_splits_a_token_longer_than_limit() -> None:
    """A single unbroken token longer than the limit is split rather than looping forever."""
    pieces = split_text("y" * 250, 100)
    assert [len(p) for p in pieces] == [100, 100, 50]


def test_escape_neutralises_markdown_and_mentions() -> None:
    """Bold, masked links, mentions and quotes show literally."""
    out = escape("**b** [x](javascript:alert(1)) @everyone <@1> > q")
    assert "\\*\\*b\\*\\*" in out
    assert "\\[x\\](javascript" in out
    assert "@everyone" not in out
    assert "\\<@1\\>" in out
    assert "\\> q" in out


def test_escape_neutralises_line_start_markup() -> None:
    """Headings, list markers and subtext at line starts are escaped."""
    out = escape("# h\n- item\n-# small\n1. one")
    assert out.split("\n") == ["\\# h", "\\- item", "\\-# small", "1\\. one"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words", "plain words"),
        ("a_b", "a\\_b"),
        ("# h", "\\# h"),
        ("  + item", "  \\+ item"),
        ("12) twelve", "12\\) twelve"),
        ("ask @here now", "ask @\u200bhere now"),
        ("line\n- item", "line\n\\- item"),
    ],
)
def test_escape_catches_each_markup_alone(text: str, shown: str) -> None:
    """Each kind of markup is escaped when it is the only one in the text; plain text is unchanged."""
    assert escape(text) == shown


def test_escape_leaves_bare_urls_whole() -> None:
    """Underscores inside a bare URL are not escaped (the link keeps working)."""
    assert escape("see https://a.io/x_y_z now") == "see https://a.io/x_y_z now"


def test_inline_collapses_newlines() -> None:
    """Names and titles become one line."""
    assert inline("New\nYork\t  City", 50) == "New York City"
    # Unicode spaces and line breaks too (no-break space, line separator, ideographic space), and
    # none left at either end.
    assert inline("\u3000 Kyiv\u00a0\u00a0talks\u2028\r\nday two\u2029 ", 50) == "Kyiv talks day two"


def test_code_cannot_be_broken_by_backticks() -> None:
    """Backticks inside a code span are replaced, so the span stays one span."""
    assert code("a`b``c") == "`aˋbˋˋc`"


def test_code_is_shortened_to_limit() -> None:
    """Long text in a code span is cut inside the span, not across it."""
    result = code("z" * 200, 20)
    assert len(result) <= 20
    assert result.startswith("`")
    assert result.endswith("`")


def test_safe_url_accepts_http_and_https() -> None:
    """Ordinary web links are kept."""
    assert safe_url("https://a.io/x") == "https://a.io/x"
    assert safe_url("http://a.io") == "http://a.io"


def test_safe_url_rejects_other_schemes() -> None:
    """javascript:, data:, file: and scheme-less strings are refused."""
    for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "a.io/x", "https://", ""):
        assert safe_url(url) is None, url


def test_safe_url_rejects_whitespace_and_overlong() -> None:
    """URLs with spaces or beyond the link length budget are refused."""
    assert safe_url("https://a.io/x y") is None
    assert safe_url("https://a.io/" + "a" * 600) is None


def test_safe_url_encodes_parentheses() -> None:
    """Parentheses cannot close the markdown link early."""
    assert safe_url("https://en.wikipedia.org/wiki/X_(y)") == "https://en.wikipedia.org/wiki/X_%28y%29"


def test_link_escapes_brackets_in_label() -> None:
    """A label cannot open or close a link of its own."""
    result = link("Evil](https://phish.io) [", "https://ok.io")
    assert result.endswith("](https://ok.io)")
    assert result.count("[") == 1


def test_link_with_unsafe_url_shows_label_only() -> None:
    """A javascript: source is named but not linked."""
    assert link("Blog", "javascript:alert(1)") == "Blog (unsafe link hidden)"


def test_link_with_empty_label_uses_host() -> None:
    """A source without a publisher is labelled with its host."""
    assert link("", "https://www.bbc.co.uk/news") == "[www.bbc.co.uk](https://www.bbc.co.uk/news)"


INVISIBLE = "\u202e\u202d\u202a\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff\u00ad\x07\x1b"


def test_visible_strips_bidi_overrides_and_invisible_controls() -> None:
    """U+202E and friends are dropped from echoed text; letters, emoji joiners and newlines stay."""
    from bot.render.text import visible

    assert visible(f"gpj{INVISIBLE}.exe") == "gpj.exe"
    assert visible("Переговори\nв Стамбулі\t!") == "Переговори\nв Стамбулі\t!"
    assert visible("👩\u200d💻 می\u200cخواهم") == "👩\u200d💻 می\u200cخواهم"
    for helper in (escape, lambda t: inline(t, 100), lambda t: code(t, 100)):
        assert not any(c in helper(f"a{INVISIBLE}b") for c in INVISIBLE.replace("\u200b", ""))


def test_visible_drops_each_invisible_character_in_plain_text_too() -> None:
    """Each invisible character alone in ordinary words (ASCII or not) is dropped; printable text
    comes back as it was, and a line or paragraph separator goes like the other controls."""
    from bot.render.text import visible

    for c in INVISIBLE + "\x00\x7f\x85\u2028\u2029":
        assert visible(f"plain {c}text") == "plain text", repr(c)
        assert visible(f"Стамбул {c}і") == "Стамбул і", repr(c)
    for text in ("plain text", "Стамбул · 🇺🇦 — «ok»", "👩\u200d💻"):
        assert visible(text) == text


def test_search_echo_has_no_bidi_override() -> None:
    """The search embed's echo of a hostile query shows no invisible control character."""
    from bot.render import search_embed
    from tests.render.builders import found

    embed = search_embed("\u202eevil\u2066 query", found([]))
    shown = (embed.title or "") + (embed.description or "")
    assert "evil query" in shown.replace("\u200b", "")
    assert "\u202e" not in shown and "\u2066" not in shown


def test_dates_read_with_english_month_abbreviations() -> None:
    """Readers see `17 Mar 2025`, `Sep 2025`, `2025`: every month by its usual English short name."""
    months = [FuzzyDate.parse(f"2025-{m:02d}-01").human().split()[1] for m in range(1, 13)]
    assert months == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert FuzzyDate.parse("2025-03-17").human() == "17 Mar 2025"
    assert FuzzyDate.parse("2025-09").human() == "Sep 2025"
    assert FuzzyDate.parse("2025").human() == "2025"


def test_inline_of_controls_between_whitespace_is_empty_not_spaces() -> None:
    """A name of control characters and NEL (U+0085) was left as spaces only, which Discord refuses
    as a field name (found by the fuzz test of /compare); it is now empty, and the embed builder
    puts its placeholder there."""
    assert inline("\x0f\x85" * 87, 200) == ""
    assert inline("a \x0f\x85\x0f b", 200) == "a b"
