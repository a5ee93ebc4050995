"""`check-data` prints best tiers; `check-data --strict` fails on weak sourcing, and on data/ it passes."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.test_cli import REPO, bot


def _write(directory: Path, sources: list[dict[str, str]]) -> Path:
    directory.mkdir()
    document = {
        "topics": [{"slug": "t", "title": "T"}],
        "events": [
            {"id": "ev-x", "date": "2025-03-17", "title": "T", "summary": "S.", "status": "reported",
             "topics": ["t"], "sources": sources},
        ],
    }  # fmt: skip
    (directory / "events.yaml").write_text(yaml.safe_dump(document))
    return directory


def test_strict_fails_where_plain_passes(tmp_path: Path) -> None:
    """One undated press source: check-data passes and reports the tier; --strict exits 1 naming both faults."""
    data = _write(tmp_path / "d", [{"url": "https://paper.example/a", "publisher": "Paper"}])
    plain = bot("check-data", str(data), db=tmp_path / "s.db", cwd=tmp_path)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "ev-x: best source press" in plain.stderr  # stdout is kept for the problems
    strict = bot("check-data", "--strict", str(data), db=tmp_path / "s.db", cwd=tmp_path)
    assert strict.returncode == 1
    assert "ev-x" in strict.stdout and "sources[0].date: is missing" in strict.stdout
    assert "one press source only" in strict.stdout


def test_directory_tier_table_is_used(tmp_path: Path) -> None:
    """A data directory's own source-tiers.yaml decides the tiers (here: the press site is official)."""
    data = _write(
        tmp_path / "d", [{"url": "https://paper.example/a", "publisher": "P", "date": "2025-03-17"}]
    )
    (data / "source-tiers.yaml").write_text("official: [paper.example]\n")
    strict = bot("check-data", "--strict", str(data), db=tmp_path / "s.db", cwd=tmp_path)
    assert strict.returncode == 0, strict.stdout
    assert "ev-x: best source official" in strict.stderr


def test_shipped_data_passes_strict(tmp_path: Path) -> None:
    """`check-data --strict data/` passes: every shipped entry meets the sourcing standard (issue 14)."""
    done = bot("check-data", "--strict", str(REPO / "data"), db=tmp_path / "s.db", cwd=tmp_path)
    problems = [line for line in done.stdout.splitlines() if "best source" not in line]
    assert done.returncode == 0, "\n".join(problems[:40])
