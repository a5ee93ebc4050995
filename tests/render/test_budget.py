"""fit_lines, pack_lines and share_budget: lists of lines under character budgets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.render.budget import fit_lines, pack_lines, share_budget


def test_fit_lines_keeps_everything_that_fits() -> None:
    """Lines within the budget are joined unchanged."""
    assert fit_lines(["a", "b", "c"], 100) == "a\nb\nc"


def test_fit_lines_ends_with_and_n_more() -> None:
    """Lines that do not fit are counted in a closing `… and N more`."""
    lines = [f"line {i:02d}" for i in range(10)]
    result = fit_lines(lines, 40)
    assert len(result) <= 40
    kept = result.split("\n")[:-1]
    assert kept == lines[: len(kept)]
    assert result.endswith(f"… and {10 - len(kept)} more")


def test_fit_lines_custom_separator_and_marker() -> None:
    """Separator and marker text are the caller's."""
    result = fit_lines(["aa", "bb", "cc", "dd"], 13, sep=", ", more=lambda n: f"+{n}")
    assert result == "aa, bb, +2"


def test_fit_lines_truncates_a_lone_oversized_first_line() -> None:
    """A first line longer than the budget is shortened, not dropped."""
    result = fit_lines(["word " * 50, "second"], 60)
    assert result.startswith("word word")
    assert result.endswith("… and 1 more")
    assert len(result) <= 60


def test_fit_lines_empty_input() -> None:
    """No lines give an empty string."""
    assert fit_lines([], 10) == ""


@given(st.lists(st.text(min_size=0, max_size=40), max_size=30), st.integers(min_value=0, max_value=300))
def test_fit_lines_never_exceeds_limit(lines: list[str], limit: int) -> None:
    """Whatever the lines, the result fits the budget."""
    assert len(fit_lines(lines, limit)) <= limit


def test_pack_lines_keeps_every_line_in_order() -> None:
    """Chunks hold every line once, in order, each chunk within the limit."""
    lines = [f"entry number {i}" for i in range(200)]
    chunks = pack_lines(lines, 100)
    assert all(len(c) <= 100 for c in chunks)
    assert [line for chunk in chunks for line in chunk.split("\n")] == lines


def test_pack_lines_shortens_an_oversized_line() -> None:
    """One line longer than the limit is truncated to fit its own chunk."""
    chunks = pack_lines(["short", "long " * 100, "end"], 50)
    assert chunks[0] == "short"
    assert len(chunks[1]) <= 50
    assert chunks[1].endswith("…")
    assert chunks[2] == "end"


def test_share_budget_gives_small_items_all_they_want() -> None:
    """Items smaller than a fair share get their full size; the rest share what is left."""
    assert share_budget([10, 500, 500], 410) == [10, 200, 200]


def test_share_budget_when_everything_fits() -> None:
    """With room to spare every item gets exactly its size."""
    assert share_budget([3, 4, 5], 100) == [3, 4, 5]


@given(
    st.lists(st.integers(min_value=0, max_value=2000), max_size=30), st.integers(min_value=0, max_value=6000)
)
def test_share_budget_never_exceeds_total_or_wants(sizes: list[int], total: int) -> None:
    """No item gets more than it asked for, and the shares never exceed the total."""
    shares = share_budget(sizes, total)
    assert sum(shares) <= total
    assert all(0 <= s <= w for s, w in zip(shares, sizes, strict=True))
