"""The revision scripts: one line of history from the baseline, and installed with the package."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from bot.db.migrations import (
    BASELINE,
    MIGRATIONS_DIR,
    declared_head,
    head_revision,
    revision_chain,
    script_directory,
)
from tests.db.conftest import NewerCode

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_revisions_form_one_line_from_the_baseline() -> None:
    """There is one base (the baseline) and one head, and every revision lies on the line between."""
    scripts = script_directory()
    assert scripts.get_bases() == [BASELINE]
    assert len(scripts.get_heads()) == 1
    chain = revision_chain()
    assert chain[0] == BASELINE
    assert len(chain) == len(list(scripts.walk_revisions()))


def test_migration_scripts_are_package_data() -> None:
    """Every file Alembic loads by path (the template, each revision) is declared package data."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["bot.db.migrations"]
    needed = [MIGRATIONS_DIR / "script.py.mako", *sorted((MIGRATIONS_DIR / "versions").glob("*.py"))]
    for path in needed:
        name = path.relative_to(MIGRATIONS_DIR).as_posix()
        assert any(fnmatch(name, pattern) for pattern in globs), f"{name} is not package data"


def test_declared_head_is_alembics_head() -> None:
    """The head read from the files' declarations (a start's check, without Alembic) is the one
    Alembic finds, for the shipped revisions and for a newer code's."""
    assert declared_head() == head_revision() == revision_chain()[-1]


def test_declared_head_follows_newer_code(newer_code: NewerCode) -> None:
    """With one more revision on top, the declared head is that revision, as for Alembic."""
    assert declared_head() == head_revision() == newer_code.head


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ('revision = "9002"\ndown_revision = ("0011", "0012")\n', "a merge"),
        ('revision = "9002"\ndown_revision = "0011"\n', "a second head"),
        ('"""not a revision"""\n', "a file without declarations"),
    ],
)
def test_declared_head_is_unknown_when_not_clear_cut(tmp_path: Path, extra: str, why: str) -> None:
    """Anything but one plain line of revisions gives no declared head: Alembic decides then."""
    versions = tmp_path / "versions"
    versions.mkdir()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        (versions / script.name).write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    (versions / "9002_extra.py").write_text(extra, encoding="utf-8")
    assert declared_head(tmp_path) is None, why
