"""The benchmark record: one file per run, and BENCHMARKS.md keeping the latest figure per row."""

from __future__ import annotations

from pathlib import Path

from bench import history
from bench.report import Row, section


def _section(label: str, rows: list[Row], stamp: str, command: str = "python bench/run.py --x") -> str:
    text = section(command, "test machine", "tiny", rows, ["a note"], label)
    return f"## {stamp}" + text[text.index(" UTC") :]


def _run(
    tmp_path: Path, label: str, stamp: str, *rows: Row, command: str = "python bench/run.py --x"
) -> None:
    section_text = _section(label, list(rows), stamp, command)
    history.record(section_text, tmp_path / "history", tmp_path / "BENCHMARKS.md")


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


def test_quick_run_never_replaces_a_full_scale_figure(tmp_path: Path) -> None:
    """A later `--quick` run leaves a full-scale figure current, shows rows no full run measured, and a
    later full run replaces a quick figure."""
    full = "python bench/run.py --full --db sqlite"
    quick = "python bench/run.py --db sqlite --quick"
    _run(tmp_path, "full", "2026-01-01 10:00", Row("a", "sqlite", "4 ms", "≤ 5", True), command=full)
    _run(
        tmp_path,
        "smoke",
        "2026-01-01 11:00",
        Row("a", "sqlite", "1 ms", "≤ 5", True),
        Row("b", "sqlite", "2 ms", "", None),
        command=quick,
    )
    page = (tmp_path / "BENCHMARKS.md").read_text()
    assert "| a | sqlite | 4 ms |" in page
    assert "1 ms" not in page
    assert "| b | sqlite | 2 ms |" in page
    _run(tmp_path, "full again", "2026-01-01 12:00", Row("b", "sqlite", "3 ms", "", None), command=full)
    page = (tmp_path / "BENCHMARKS.md").read_text()
    assert "| b | sqlite | 3 ms |" in page
    assert "2 ms" not in page


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
