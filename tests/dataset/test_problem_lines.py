"""check-data and import cite the file's line number of each problem; both report the same list."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import bot

BAD = """\
actors:
  - slug: fine
    name: Fine
    kind: state
positions:
  - id: pos-x
    actor: nobody
    topic: peace-talks
    stance: supports
    date: "2025"
    status: reported
    summary: s
    sources:
      - url: ftp://x
        publisher: p
  - id: pos-y
    actor: fine
    topic: peace-talks
    stance: sideways
    date: "2025"
    status: reported
    summary: s
    sources:
      - url: https://x.org
        publisher: p
  - id: pos-x
    actor: fine
    topic: peace-talks
    stance: supports
    date: "2025"
    status: reported
    summary: s
    sources:
      - url: https://x.org
        publisher: p
"""


def test_problems_carry_line_numbers(tmp_path: Path) -> None:
    """Each problem line starts with file:line pointing at the offending key."""
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    done = bot("check-data", str(path), db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"{path}:14: positions[0] (id pos-x): sources[0].url: 'ftp://x' must start" in "\n".join(lines)
    assert any(x.startswith(f"{path}:19: positions[1] (id pos-y): stance:") for x in lines), lines


def test_import_reports_the_same_list(tmp_path: Path) -> None:
    """import refuses the file with exactly the problems `check-data --against-store` prints."""
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    db = tmp_path / "s.db"
    assert bot("preview", "/topics", db=db, cwd=tmp_path).returncode == 0  # the store holds peace-talks
    alone = bot("check-data", str(path), db=db, cwd=tmp_path)
    assert "unknown topic 'peace-talks'" in alone.stdout  # the file alone does not define it
    checked = bot("check-data", "--against-store", str(path), db=db, cwd=tmp_path)
    assert checked.returncode == 1
    assert "peace-talks" not in checked.stdout  # the store does
    imported = bot("import", str(path), db=db, cwd=tmp_path)
    assert imported.returncode == 1
    assert imported.stdout.splitlines() == checked.stdout.splitlines()
    as_server = bot("check-data", "--guild", "123", str(path), db=db, cwd=tmp_path)
    assert (
        as_server.stdout.splitlines()
        == bot("import", "--guild", "123", "--dry-run", str(path), db=db, cwd=tmp_path).stdout.splitlines()
    )


def test_every_problem_in_one_pass(tmp_path: Path) -> None:
    """A bad URL and an unknown actor in one entry are both reported; so is a duplicate of an invalid entry's id."""
    path = tmp_path / "bad.yaml"
    path.write_text(
        BAD.replace("topic: peace-talks", "topic: t1").replace(
            "actors:\n", "topics:\n  - slug: t1\n    title: T\nactors:\n", 1
        ),
        encoding="utf-8",
    )
    done = bot("check-data", str(path), db=tmp_path / "s.db", cwd=tmp_path)
    out = done.stdout
    assert "positions[0] (id pos-x): sources[0].url: 'ftp://x' must start" in out
    assert "positions[0] (id pos-x): actor: unknown actor 'nobody'" in out
    assert "positions[2] (id pos-x): id: duplicate id 'pos-x': already used at positions[0]" in out
