"""The benchmark record: one file per run, and BENCHMARKS.md keeping the latest figure per row."""

from __future__ import annotations

from pathlib import Path

from bench import history
from bench.report import Row, section


def _section(label: str, rows: list[Row], stamp: str) -> str:
    text = section("python bench/run.py --x", "test machine", "tiny", rows, ["a note"], label)
    return f"## {stamp}" + text[text.index(" UTC") :]


def _run(tmp_path: Path, label: str, stamp: str, *rows: Row) -> None:
    history.record(_section(label, list(rows), stamp), tmp_path / "history", tmp_path / "BENCHMARKS.md")


def test_latest_figure_per_row_wins(tmp_path: Path) -> None:
    """A later run's figure replaces an earlier one of the same row; other rows stay."""
    _run(
        tmp_path,
        "first",
        "2026-01-01 10:00",
        Row("a", "sqlite", "9 ms", "≤ 5", False),
        Row("b", "sqlite", "1 ms", "", None),
    )
    _run(tmp_path, "second", "2026-01-02 10:00", Row("a", "sqlite", "4 ms", "≤ 5", True))
    page = (tmp_path / "BENCHMARKS.md").read_text()
    assert "| a | sqlite | 4 ms | ≤ 5 | met |" in page
    assert "9 ms" not in page
    assert "| b | sqlite | 1 ms |" in page
    assert len(list((tmp_path / "history").glob("*.md"))) == 2


def test_before_side_of_an_ab_never_becomes_current(tmp_path: Path) -> None:
    """A run labelled "… before: …" measured older code: its later figure does not replace the current one."""
    _run(tmp_path, "after: new code", "2026-01-01 10:00", Row("a", "postgres", "4 ms", "≤ 5", True))
    _run(
        tmp_path,
        "A/B, same hour — before: old code",
        "2026-01-01 11:00",
        Row("a", "postgres", "9 ms", "≤ 5", False),
    )
    page = (tmp_path / "BENCHMARKS.md").read_text()
    assert "4 ms" in page
    assert "9 ms" not in page


def test_each_cited_run_names_its_command(tmp_path: Path) -> None:
    """The runs list gives each cited run's file and exact command."""
    _run(tmp_path, "only run", "2026-01-01 10:00", Row("a", "sqlite", "4 ms", "", None))
    page = (tmp_path / "BENCHMARKS.md").read_text()
    assert "`python bench/run.py --x`" in page
    run_file = next((tmp_path / "history").glob("*.md"))
    assert f"]({run_file.relative_to(tmp_path).as_posix()})" in page


def test_shipped_benchmarks_page_is_rebuilt_from_history(tmp_path: Path) -> None:
    """BENCHMARKS.md in the repository is exactly what the history files rebuild."""
    out = tmp_path / "BENCHMARKS.md"
    runs = [history.read_run(p) for p in sorted(history.HISTORY.glob("*.md"))]
    out.write_text(history.current_table(runs, history.ROOT), encoding="utf-8")
    assert out.read_text() == history.BENCHMARKS.read_text()
