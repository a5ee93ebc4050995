"""Not-found replies say where to look next and offer only close names; /compare refuses one actor twice."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import bot


def answer(tmp_path: Path, line: str) -> str:
    done = bot("preview", line, db=tmp_path / "s.db", cwd=tmp_path)
    return done.stdout.strip().splitlines()[0]


def test_unknown_name_says_next_step_and_offers_close_match(tmp_path: Path) -> None:
    """A misspelling: the next step and the close name only (not every name sharing a few letters)."""
    assert answer(tmp_path, "/position rusia") == (
        "(only you can see this) No actor matches `rusia`. See `/actors`, or try: `russia`."
    )


def test_far_name_gets_no_suggestions(tmp_path: Path) -> None:
    """Nothing close: no suggestions, only where to look."""
    assert answer(tmp_path, "/position atlantis").endswith("No actor matches `atlantis`. See `/actors`.")
    assert answer(tmp_path, "/position a").endswith("No actor matches `a`. See `/actors`.")


def test_compare_same_actor_twice_says_so(tmp_path: Path) -> None:
    """/compare with the same actor twice (even by an alias) says so instead of comparing it with itself."""
    text = answer(tmp_path, "/compare peacekeepers united-kingdom uk")
    assert "actor_b" in text
    assert "United Kingdom is actor" in text and "too: pick two different actors" in text
